using System.CommandLine;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore rollback NAME`: puts the previous Production version back.</summary>
internal static class RollbackCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Registered model name" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log" };
        var store = StoreOptions.Create();

        var command = new Command("rollback", "Put the previous Production version back in Production (the current one is archived)") { name, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store);
            var registry = services.GetRequiredService<IModelRegistry>();
            var restored = await registry.RollbackAsync(result.GetValue(name)!, StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{restored.ModelName} v{restored.Version} is back in Production").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
