import Commands
import RetrieveCommands

await CommandLineTool.mainAsync(RetrieveCommand.self)
