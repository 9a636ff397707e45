using Credentials.Sync;

// credentials-sync: see SyncCommand.Usage.
return await SyncCommand.RunAsync(args, Environment.GetEnvironmentVariable(SyncCommand.TokenVariable), Console.Out, Console.Error);
