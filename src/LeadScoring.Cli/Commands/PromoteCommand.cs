using System.CommandLine;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore promote NAME@VERSION`: moves a version to Production (or another stage).</summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("model") { Description = "NAME@VERSION (or NAME@ALIAS)" };
        var stage = new Option<string>("--stage") { Description = "Target stage", DefaultValueFactory = _ => "Production" };
        stage.AcceptOnlyFromAmong("None", "Staging", "Production", "Archived");
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log" };
        var store = StoreOptions.Create();

        var command = new Command("promote", "Move a model version to Production (the previous Production version is archived) or another stage") { reference, stage, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store);
            var registry = services.GetRequiredService<IModelRegistry>();
            var version = await ModelReference.ResolveAsync(registry, result.GetValue(reference)!, cancellationToken).ConfigureAwait(false);
            var target = Enum.Parse<ModelStage>(result.GetValue(stage)!);
            if (version.Stage == target)
            {
                await stdout.WriteLineAsync($"{version.ModelName} v{version.Version} is already in {target}; nothing changed").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var moved = await registry.TransitionAsync(version.ModelName, version.Version, target, StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{moved.ModelName} v{moved.Version} is now {moved.Stage}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
