import Commands
import IconCommands

CommandLineTool.main(IconsCommand.self)
