using Credentials.Server.Admin;

return await ServerCommandLine.RunAsync(args, Console.Out, Console.Error);
