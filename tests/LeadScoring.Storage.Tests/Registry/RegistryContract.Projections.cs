using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Tests.Registry;

/// <summary>The read projections (latest version, summaries, reference profile) and the schema's upgrades.</summary>
public abstract partial class RegistryContract
{
    private const string Profile = """{ "rows": 1000, "features": { "a": { "mean": 1.5 } } }""";

    /// <summary>A package as the registry stores it: a zip with the package's files.</summary>
    private static byte[] ZipPackage(string? profile)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var model = new StreamWriter(zip.CreateEntry("model.zip").Open()))
            {
                model.Write("not really a model");
            }

            if (profile is not null)
            {
                using var writer = new StreamWriter(zip.CreateEntry("reference-profile.json").Open(), new UTF8Encoding(false));
                writer.Write(profile);
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task The_latest_version_is_the_highest_number_whatever_its_stage()
    {
        Assert.Null(await Registry.GetLatestVersionAsync(Model));
        await RegisterVersionsAsync(3);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        await Registry.TransitionAsync(Model, 3, ModelStage.Archived, "alice", null);
        await RegisterAsync("upsell");

        var latest = await Registry.GetLatestVersionAsync(Model);

        Assert.Equal(3, latest!.Version);
        Assert.Equal(ModelStage.Archived, latest.Stage);
        Assert.Equal(Metadata, latest.MetadataJson);
        Assert.Equal(1, (await Registry.GetLatestVersionAsync("upsell"))!.Version);
        Assert.Null(await Registry.GetLatestVersionAsync("unknown"));
    }

    [Fact]
    public async Task Version_summaries_show_what_lists_need_newest_first_with_the_auc_taken_once_at_registration()
    {
        var first = await Registry.RegisterAsync(new NewModelVersion(Model, [1, 2, 3], Metadata, "alice", "first", new Dictionary<string, string> { ["team"] = "growth" }));
        Time.Advance(TimeSpan.FromMinutes(1));
        await Registry.RegisterAsync(new NewModelVersion(Model, [4], Metadata, "bob") { Auc = 0.5 });
        await Registry.RegisterAsync(new NewModelVersion(Model, [5], """{ "metrics": { "pr_auc": 0.4 } }""", "carol"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        await Registry.SetAliasAsync(Model, "champion", 1, "alice", null);
        await Registry.SetAliasAsync(Model, "backup", 1, "alice", null);

        var summaries = await Registry.ListVersionSummariesAsync(Model);

        Assert.Equal([3, 2, 1], summaries.Select(s => s.Version));
        Assert.Equal([null, 0.5, 0.91], summaries.Select(s => s.Auc));
        Assert.Equal([null, 0.5, 0.91], (await Registry.ListVersionsAsync(Model)).Select(v => v.Auc));
        Assert.Equal(0.91, first.Auc);
        Assert.Equal(0.91, (await Registry.GetProductionAsync(Model))!.Auc);
        var v1 = summaries[2];
        Assert.Equal(
            new ModelVersionSummary(Model, 1, ModelStage.Production, v1.Aliases, "first", v1.Tags, Start, "alice", first.PackageSha256, 3, 0.91, Start.AddMinutes(2)),
            v1);
        Assert.Equal(["backup", "champion"], v1.Aliases);
        Assert.Equal("growth", v1.Tags["team"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([1, 2, 3])), v1.PackageSha256);
        Assert.Equal(ModelStage.None, summaries[0].Stage);
        Assert.Equal(Start.AddMinutes(1), summaries[0].StageChangedAt);
        Assert.Empty(await Registry.ListVersionSummariesAsync("unknown"));
        await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.ListVersionSummariesAsync("bad name"));
    }

    [Fact]
    public async Task The_reference_profile_comes_from_the_package_unless_given_and_is_read_without_the_package()
    {
        await RegisterAsync(package: ZipPackage(Profile));
        await Registry.RegisterAsync(new NewModelVersion(Model, ZipPackage(Profile), Metadata, "alice") { ReferenceProfileJson = """{ "given": true }""" });
        await RegisterAsync(package: ZipPackage(profile: null));
        await RegisterAsync(package: [1, 2, 3]);

        Assert.Equal(Profile, await Registry.GetReferenceProfileJsonAsync(Model, 1));
        Assert.Equal("""{ "given": true }""", await Registry.GetReferenceProfileJsonAsync(Model, 2));
        Assert.Null(await Registry.GetReferenceProfileJsonAsync(Model, 3));
        Assert.Null(await Registry.GetReferenceProfileJsonAsync(Model, 4));
        Assert.Null(await Registry.GetReferenceProfileJsonAsync(Model, 5));
        Assert.Null(await Registry.GetReferenceProfileJsonAsync("unknown", 1));
        await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.GetReferenceProfileJsonAsync(Model, 0));
    }

    [Fact]
    public async Task A_registry_at_schema_v1_is_upgraded_to_v2_and_its_versions_are_backfilled()
    {
        // A database as the previous build left it: schema v1 and two versions, written with v1's columns only.
        await using (var v1 = new SqlDatabase(Database.OpenDialect(), Time))
        {
            using var migrator = new SchemaMigrator(v1, RegistrySchema.Component, [.. RegistrySchema.Steps(v1.Dialect.Types).Take(1)]);
            await migrator.EnsureMigratedAsync(CancellationToken.None);
            Assert.Equal(1, await migrator.GetVersionAsync(CancellationToken.None));
            await v1.WriteAsync(
                async (session, ct) =>
                {
                    var time = v1.Dialect.TimeArg("@now", Start);
                    await session.ExecuteAsync(
                        "INSERT INTO registered_models (name, created_at, created_by, last_version) VALUES ('churn', @now, 'alice', 2)",
                        [time],
                        ct);
                    var id = (await session.ScalarInt64Async("SELECT id FROM registered_models WHERE name = 'churn'", [], ct))!.Value;
                    foreach (var (version, metadata, package) in new[] { (1, Metadata, ZipPackage(Profile)), (2, "{}", new byte[] { 7 }) })
                    {
                        await session.ExecuteAsync(
                            """
                            INSERT INTO model_versions (model_id, version, stage, tags_json, metadata_json, package, package_sha256,
                                package_size, created_at, created_by, stage_changed_at)
                            VALUES (@id, @version, 'None', '{}', @metadata, @package, 'sha', @size, @now, 'alice', @now)
                            """,
                            [SqlArg.Long("@id", id), SqlArg.Int("@version", version), SqlArg.Text("@metadata", metadata), SqlArg.Bytes("@package", package), SqlArg.Long("@size", package.Length), time],
                            ct);
                    }

                    return 0;
                },
                onUniqueViolation: null,
                CancellationToken.None);
        }

        Assert.Equal(2, await Registry.GetSchemaVersionAsync());
        Assert.Equal(Registry.LatestSchemaVersion, await Registry.GetSchemaVersionAsync());
        Assert.Equal([null, 0.91], (await Registry.ListVersionSummariesAsync(Model)).Select(s => s.Auc));
        Assert.Equal(Profile, await Registry.GetReferenceProfileJsonAsync(Model, 1));
        Assert.Null(await Registry.GetReferenceProfileJsonAsync(Model, 2));
        Assert.Equal(3, (await RegisterAsync()).Version);
        Assert.Equal(0.91, (await Registry.ListVersionSummariesAsync(Model))[0].Auc);
    }

    [Fact]
    public async Task A_database_with_a_newer_registry_schema_is_refused_and_left_alone()
    {
        await RegisterAsync();
        await using (var database = new SqlDatabase(Database.OpenDialect(), Time))
        {
            await database.WriteAsync(
                (session, ct) => session.ExecuteAsync(
                    "INSERT INTO schema_versions (component, version, applied_at) VALUES ('registry', 99, @now)",
                    [database.Dialect.TimeArg("@now", Start)],
                    ct),
                onUniqueViolation: null,
                CancellationToken.None);
        }

        var newer = Open();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.ListModelsAsync());

        Assert.Contains("registry schema", refused.Message, StringComparison.Ordinal);
        Assert.Contains("version 99, newer than this build knows (2)", refused.Message, StringComparison.Ordinal);
        Assert.Single(await Registry.ListVersionsAsync(Model));
    }
}
