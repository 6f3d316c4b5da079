using System.CommandLine;
using LeadScoring.Server;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore serve`: runs the scoring service.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5080 (default: ASPNETCORE_URLS, else http://localhost:5000)" };
        var model = new Option<string?>("--model-name") { Description = "Registered model to serve (default lead-scoring; env LEADSCORING_MODEL)" };
        var store = StoreOptions.Create();

        var command = new Command("serve", "Run the scoring service (trains and promotes a first model if the registry is empty)") { urls, model };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new List<string> { $"--Storage:DataDirectory={result.GetValue(store.DataDirectory)}" };
            if (result.GetValue(store.Postgres) is { Length: > 0 } postgres)
            {
                args.Add($"--Storage:PostgresConnectionString={postgres}");
            }

            if (result.GetValue(urls) is { Length: > 0 } listen)
            {
                args.Add($"--urls={listen}");
            }

            if (result.GetValue(model) is { Length: > 0 } name)
            {
                args.Add($"--LeadScoring:Serving:ModelName={name}");
            }

            await using var app = LeadScoringHost.Build([.. args]);
            using var stop = cancellationToken.Register(() => app.Lifetime.StopApplication());
            try
            {
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (OptionsValidationException e)
            {
                // A bad setting stops the service at start with a message naming the key.
                await result.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
