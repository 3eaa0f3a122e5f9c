import Commands
import ForecastCommands

CommandLineTool.main(ForecastCommand.self)
