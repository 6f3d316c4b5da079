using System.CommandLine;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore alias NAME@VERSION ALIAS` (or --remove): named pointers such as champion and challenger.</summary>
internal static class AliasCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("model") { Description = "NAME@VERSION the alias should point at (with --remove: NAME)" };
        var alias = new Argument<string>("alias") { Description = "Alias, e.g. champion or challenger" };
        var remove = new Option<bool>("--remove") { Description = "Remove the alias instead" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log" };
        var store = StoreOptions.Create();

        var command = new Command("alias", "Point an alias at a model version, or remove it") { reference, alias, remove, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store);
            var registry = services.GetRequiredService<IModelRegistry>();
            var name = result.GetValue(alias)!;
            if (result.GetValue(remove))
            {
                var model = ModelReference.Split(result.GetValue(reference)!).Name;
                var removed = await registry.RemoveAliasAsync(model, name, StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync(removed ? $"removed alias {name} of {model}" : $"{model} had no alias {name}").ConfigureAwait(false);
                return removed ? ExitCodes.Ok : ExitCodes.Refused;
            }

            var version = await ModelReference.ResolveAsync(registry, result.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            if (version.Aliases.Contains(name, StringComparer.Ordinal))
            {
                await stdout.WriteLineAsync($"{version.ModelName}@{name} already points at v{version.Version}; nothing changed").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await registry.SetAliasAsync(version.ModelName, name, version.Version, StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{version.ModelName}@{name} -> v{version.Version}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
