using Credentials.Cli.Hosting;

return await Credctl.RunAsync(args, CliConsole.System);
