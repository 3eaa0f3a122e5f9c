import Commands

await CommandLineTool.mainAsync(NextTokenCommand.self)
