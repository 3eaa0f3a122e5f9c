import RetrieveCommands

await RetrieveCommand.start()
