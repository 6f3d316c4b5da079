using System.CommandLine;
using System.Globalization;
using LeadScoring.Application.Registration;
using LeadScoring.Modeling.Packaging;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore register`: validates a package folder and registers it as a new version.</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var package = new Argument<string>("package") { Description = "The package folder written by `leadscore train`" };
        var name = new Option<string?>("--name") { Description = "Registered model name (default: the name in the package's metadata)" };
        var description = new Option<string?>("--description") { Description = "Free text stored with the version" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log" };
        var allowSchemaChange = new Option<bool>("--allow-schema-change") { Description = "Accept features that differ from the model's latest version" };
        var store = StoreOptions.Create();

        var command = new Command("register", "Register a model package (it is loaded, hash-checked and probe-scored first)") { package, name, description, reason, allowSchemaChange };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            var directory = result.GetValue(package)!;
            var archive = ModelPackage.Archive(directory);
            var modelName = result.GetValue(name) ?? ModelPackage.ReadMetadata(directory).Name;
            await using var services = CliHost.Build(result, store);
            var version = await services.GetRequiredService<ModelRegistration>().RegisterAsync(
                new RegistrationRequest(modelName, archive, StoreOptions.Actor, result.GetValue(description), null, result.GetValue(reason), result.GetValue(allowSchemaChange)),
                cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"registered {version.ModelName} v{version.Version} (stage {version.Stage}, package sha256 {version.PackageSha256[..12]}…)")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
