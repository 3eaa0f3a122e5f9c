import Commands

CommandLineTool.main(NextTokenCommand.self)
