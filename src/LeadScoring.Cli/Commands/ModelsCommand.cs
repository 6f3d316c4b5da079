using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore models list|show|audit`: read the registry.</summary>
internal static class ModelsCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create() => new("models", "Inspect the model registry")
    {
        List(),
        Show(),
        Audit(),
    };

    private static Command List()
    {
        var store = StoreOptions.Create();
        var command = new Command("list", "List registered models with their latest and Production versions");
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var registry = services.GetRequiredService<IModelRegistry>();
            var models = await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"{"MODEL",-32} {"LATEST",7} {"PRODUCTION",11}  CREATED");
            foreach (var m in models)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{m.Name,-32} {"v" + m.LatestVersion,7} {(m.ProductionVersion is { } p ? "v" + p : "-"),11}  {m.CreatedAt:yyyy-MM-dd HH:mm}");
            }

            await stdout.WriteAsync(models.Count == 0 ? "no models registered\n" : text.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var reference = new Argument<string>("model") { Description = "NAME (all versions) or NAME@VERSION / NAME@ALIAS / NAME@production (one version, with metadata)" };
        var store = StoreOptions.Create();
        var command = new Command("show", "Show a model's versions, or one version's metadata and lineage") { reference };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var registry = services.GetRequiredService<IModelRegistry>();
            var text = result.GetValue(reference)!;
            if (!text.Contains('@', StringComparison.Ordinal))
            {
                var versions = await registry.ListVersionSummariesAsync(text, cancellationToken).ConfigureAwait(false);
                if (versions.Count == 0)
                {
                    throw new RegistryException(RegistryErrorKind.NotFound, $"no model named '{text}'");
                }

                var table = new StringBuilder();
                table.AppendLine(CultureInfo.InvariantCulture, $"{"VERSION",7}  {"STAGE",-10}  {"AUC",6}  {"ALIASES",-20}  {"CREATED",-16}  BY");
                foreach (var v in versions)
                {
                    var auc = v.Auc is { } a ? a.ToString("F3", CultureInfo.InvariantCulture) : "-";
                    table.AppendLine(CultureInfo.InvariantCulture, $"{"v" + v.Version,7}  {v.Stage,-10}  {auc,6}  {string.Join(",", v.Aliases),-20}  {v.CreatedAt:yyyy-MM-dd HH:mm}  {v.CreatedBy}");
                }

                await stdout.WriteAsync(table.ToString()).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var version = await ModelReference.ResolveAsync(registry, text, cancellationToken).ConfigureAwait(false);
            using var metadata = JsonDocument.Parse(version.MetadataJson);
            var shown = new
            {
                name = version.ModelName,
                version = version.Version,
                stage = version.Stage.ToString(),
                aliases = version.Aliases,
                description = version.Description,
                tags = version.Tags,
                created_at = version.CreatedAt,
                created_by = version.CreatedBy,
                package_sha256 = version.PackageSha256,
                package_size = version.PackageSize,
                metadata = metadata.RootElement,
            };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(shown, Json)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Audit()
    {
        var name = new Argument<string?>("name") { Description = "Only this model's entries", Arity = ArgumentArity.ZeroOrOne };
        var limit = CliOptions.Int("--limit", "Most entries to show (1 to 1000)", 1, 1000, 50);
        var store = StoreOptions.Create();
        var command = new Command("audit", "Show the audit log: who changed what, when, from what to what, and why") { name, limit };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var registry = services.GetRequiredService<IModelRegistry>();
            var entries = await registry.GetAuditLogAsync(result.GetValue(name), result.GetValue(limit), cancellationToken).ConfigureAwait(false);
            var text = new StringBuilder();
            foreach (var e in entries)
            {
                var change = e.From is null && e.To is null ? "" : $" {e.From ?? "-"} -> {e.To ?? "-"}";
                var why = string.IsNullOrEmpty(e.Reason) ? "" : $" ({e.Reason})";
                text.AppendLine(CultureInfo.InvariantCulture, $"{e.At:yyyy-MM-dd HH:mm:ss}  {e.Actor,-20}  {e.ModelName}{(e.Version is { } v ? " v" + v : "")}  {e.Action}{(e.Alias is null ? "" : " " + e.Alias)}{change}{why}");
            }

            await stdout.WriteAsync(entries.Count == 0 ? "no audit entries\n" : text.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
