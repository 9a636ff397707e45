using Credentials.Server.Admin;
using Credentials.Server.Hosting;

if (args.Length > 0 && !args[0].StartsWith('-'))
{
    return await AdminCommands.RunAsync(args, Console.Out, Console.Error);
}

var app = ServerHost.Build(args);
await Startup.InitializeAsync(app.Services, Console.Out);
await app.RunAsync();
return 0;
