using System.CommandLine;
using LeadScoring.Application.Configuration;
using LeadScoring.Server;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore serve`: runs the scoring service. The only file of the CLI that uses the server.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5080 (default: ASPNETCORE_URLS, else http://localhost:5000)" };
        var model = new Option<string?>("--model-name") { Description = $"Registered model to serve (default lead-scoring; env {EnvironmentVariables.ModelName})" };
        var store = StoreOptions.Create();

        var command = new Command("serve", "Run the scoring service (trains and promotes a first model if the registry is empty)") { urls, model };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            // Options given here go to the server as command-line configuration, which overrides its environment map.
            var args = store.ConfigurationValues(result).Select(kv => $"--{kv.Key}={kv.Value}").ToList();
            if (result.GetValue(urls) is { Length: > 0 } listen)
            {
                args.Add($"--urls={listen}");
            }

            if (result.GetValue(model) is { Length: > 0 } name)
            {
                args.Add($"--{EnvironmentVariables.Keys[EnvironmentVariables.ModelName]}={name}");
            }

            try
            {
                await using var app = LeadScoringHost.Build([.. args]);
                using var stop = cancellationToken.Register(() => app.Lifetime.StopApplication());
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is OptionsValidationException or InvalidOperationException or IOException)
            {
                // A refused setting (a bad value, a misspelt key, a short admin key), an admin key file that cannot be
                // written or an address in use stops the service at start with one line naming it, not a stack trace.
                await result.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
