import Commands
import ImageCommands

CommandLineTool.main(ImagesCommand.self)
