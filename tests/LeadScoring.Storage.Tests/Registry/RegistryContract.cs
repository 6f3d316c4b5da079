using System.Security.Cryptography;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Registry;

/// <summary>
/// What every <see cref="IModelRegistry"/> provider must do. Each concrete subclass supplies a fresh, empty database
/// per test; every test here runs once per provider.
/// </summary>
public abstract partial class RegistryContract : StoreContract<ModelRegistry>
{
    private const string Model = "churn";
    private const string Metadata = """{ "schema": { "features": ["a", "b"] },  "metrics": { "auc": 0.91 }, "note": "é ✓" }""";

    /// <summary>The registry under test (not yet initialized when a test starts).</summary>
    protected ModelRegistry Registry => Store;

    private protected override ModelRegistry OpenStore(SqlDatabase database) => new(database);

    private Task<ModelVersion> RegisterAsync(string model = Model, string actor = "alice", byte[]? package = null, IModelRegistry? registry = null) =>
        (registry ?? Registry).RegisterAsync(new NewModelVersion(model, package ?? [1, 2, 3], Metadata, actor));

    private static async Task<RegistryException> RefusedAsync(RegistryErrorKind kind, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<RegistryException>(call);
        Assert.Equal(kind, exception.Kind);
        return exception;
    }

    private async Task<(long Token, int AuditCount, string Versions, string Models)> SnapshotAsync()
    {
        var models = await Registry.ListModelsAsync();
        var versions = new List<string>();
        foreach (var model in models)
        {
            foreach (var v in await Registry.ListVersionsAsync(model.Name))
            {
                versions.Add($"{v.ModelName}/{v.Version}:{v.Stage}[{string.Join(',', v.Aliases)}]");
            }
        }

        return (
            await Registry.GetChangeTokenAsync(),
            (await Registry.GetAuditLogAsync(null, 10_000)).Count,
            string.Join(' ', versions),
            string.Join(' ', models.Select(m => $"{m.Name}:{m.LatestVersion}:{m.ProductionVersion}")));
    }

    private async Task<ModelStage> StageOfAsync(int version) => (await Registry.GetVersionAsync(Model, version))!.Stage;

    private async Task<int[]> RegisterVersionsAsync(int count)
    {
        var versions = new int[count];
        for (var i = 0; i < count; i++)
        {
            versions[i] = (await RegisterAsync()).Version;
        }

        return versions;
    }

    // ---- numbering and content ----

    [Fact]
    public async Task Versions_are_numbered_from_one_per_model()
    {
        Assert.Equal(1, (await RegisterAsync("churn")).Version);
        Assert.Equal(2, (await RegisterAsync("churn")).Version);
        Assert.Equal(1, (await RegisterAsync("upsell")).Version);
        Assert.Equal(3, (await RegisterAsync("churn")).Version);

        Assert.Equal([3, 2, 1], (await Registry.ListVersionsAsync("churn")).Select(v => v.Version));
        Assert.Equal([1], (await Registry.ListVersionsAsync("upsell")).Select(v => v.Version));
    }

    [Fact]
    public async Task The_first_version_creates_the_model_and_models_are_listed_by_name()
    {
        Assert.Empty(await Registry.ListModelsAsync());

        await RegisterAsync("beta");
        Time.Advance(TimeSpan.FromMinutes(1));
        await RegisterAsync("alpha");
        await RegisterAsync("Alpha");
        await RegisterAsync("beta");

        var models = await Registry.ListModelsAsync();
        Assert.Equal(["Alpha", "alpha", "beta"], models.Select(m => m.Name));
        var beta = models[2];
        Assert.Equal(Start, beta.CreatedAt);
        Assert.Equal(2, beta.LatestVersion);
        Assert.Null(beta.ProductionVersion);
        Assert.Null(beta.Description);
        Assert.Equal(Start.AddMinutes(1), models[1].CreatedAt);
    }

    [Fact]
    public async Task Package_and_metadata_round_trip_with_their_sha256_and_size()
    {
        var package = new byte[300_000];
        new Random(7).NextBytes(package);
        package[0] = 0;
        package[^1] = 0;

        var registered = await RegisterAsync(package: package);
        var expectedSha = Convert.ToHexStringLower(SHA256.HashData(package));
        Assert.Equal(expectedSha, registered.PackageSha256);
        Assert.Equal(package.Length, registered.PackageSize);

        Assert.Equal(package, await Registry.GetPackageAsync(Model, 1));
        var stored = await Registry.GetVersionAsync(Model, 1);
        Assert.NotNull(stored);
        Assert.Equal(Metadata, stored.MetadataJson);
        Assert.Equal(expectedSha, stored.PackageSha256);
        Assert.Equal(package.Length, stored.PackageSize);
    }

    [Fact]
    public async Task Description_tags_actor_and_time_are_stored()
    {
        var tags = new Dictionary<string, string> { ["team"] = "growth", ["data"] = "leads-2025-03", ["empty"] = "" };
        var registered = await Registry.RegisterAsync(new NewModelVersion(Model, [9], "{}", "bob", "first try", tags, "initial"));

        var stored = await Registry.GetVersionAsync(Model, 1);
        Assert.NotNull(stored);
        foreach (var version in new[] { registered, stored })
        {
            Assert.Equal(Model, version.ModelName);
            Assert.Equal("first try", version.Description);
            Assert.Equal(tags.OrderBy(t => t.Key, StringComparer.Ordinal), version.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
            Assert.Equal("bob", version.CreatedBy);
            Assert.Equal(Start, version.CreatedAt);
            Assert.Equal("{}", version.MetadataJson);
        }

        var audit = Assert.Single(await Registry.GetAuditLogAsync(Model));
        Assert.Equal(("bob", Start, 1, "register", "initial"), (audit.Actor, audit.At, audit.Version, audit.Action, audit.Reason));
        Assert.Equal(Model, audit.ModelName);
    }

    [Fact]
    public async Task A_new_version_starts_in_stage_None_without_aliases()
    {
        var registered = await RegisterAsync();
        Assert.Equal(ModelStage.None, registered.Stage);
        Assert.Empty(registered.Aliases);
        Assert.Empty(registered.Tags);
        Assert.Null(registered.Description);
        Assert.Equal(ModelStage.None, await StageOfAsync(1));
    }

    // ---- stages ----

    [Fact]
    public async Task Promoting_a_version_archives_the_previous_production_version()
    {
        await RegisterVersionsAsync(3);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", "first");
        var promoted = await Registry.TransitionAsync(Model, 2, ModelStage.Production, "alice", "better");

        Assert.Equal(ModelStage.Production, promoted.Stage);
        Assert.Equal(ModelStage.Archived, await StageOfAsync(1));
        Assert.Equal(ModelStage.None, await StageOfAsync(3));
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Equal(2, (await Registry.ListModelsAsync()).Single().ProductionVersion);
    }

    [Fact]
    public async Task A_promotion_is_audited_for_both_versions_with_who_when_from_to_and_reason()
    {
        await RegisterVersionsAsync(2);
        await Registry.TransitionAsync(Model, 1, ModelStage.Staging, "alice", "evaluate");
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", "looks good");
        Time.Advance(TimeSpan.FromHours(2));
        await Registry.TransitionAsync(Model, 2, ModelStage.Production, "carol", "auc +0.02");

        var log = await Registry.GetAuditLogAsync(Model, 2);
        var promotion = log[0];
        var archive = log[1];
        Assert.Equal(("carol", Start.AddHours(2), 2, "stage", "None", "Production", "auc +0.02"),
            (promotion.Actor, promotion.At, promotion.Version, promotion.Action, promotion.From, promotion.To, promotion.Reason));
        Assert.Equal(("carol", Start.AddHours(2), 1, "stage", "Production", "Archived", "auc +0.02"),
            (archive.Actor, archive.At, archive.Version, archive.Action, archive.From, archive.To, archive.Reason));
        Assert.True(promotion.Id > archive.Id);

        var staging = (await Registry.GetAuditLogAsync(Model)).Single(e => e.To == "Staging");
        Assert.Equal(("alice", Start, 1, "None", "evaluate"), (staging.Actor, staging.At, staging.Version, staging.From, staging.Reason));
    }

    [Fact]
    public async Task Moving_a_version_to_the_stage_it_has_is_a_no_op()
    {
        await RegisterAsync();
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        var before = await SnapshotAsync();

        var again = await Registry.TransitionAsync(Model, 1, ModelStage.Production, "bob", "retry");
        var none = await RegisterAsync();
        var noneAgain = await Registry.TransitionAsync(Model, none.Version, ModelStage.None, "bob", null);

        Assert.Equal(ModelStage.Production, again.Stage);
        Assert.Equal(ModelStage.None, noneAgain.Stage);
        var after = await SnapshotAsync();
        Assert.Equal(before.Token + 1, after.Token);
        Assert.Equal(before.AuditCount + 1, after.AuditCount);
        Assert.DoesNotContain(await Registry.GetAuditLogAsync(Model), e => e.Actor == "bob");
    }

    [Fact]
    public async Task Versions_move_freely_between_the_other_stages()
    {
        await RegisterAsync();
        await Registry.TransitionAsync(Model, 1, ModelStage.Staging, "alice", null);
        await Registry.TransitionAsync(Model, 1, ModelStage.Archived, "alice", null);
        var back = await Registry.TransitionAsync(Model, 1, ModelStage.Staging, "alice", null);

        Assert.Equal(ModelStage.Staging, back.Stage);
        var moves = (await Registry.GetAuditLogAsync(Model)).Where(e => e.Action == "stage").Reverse().Select(e => $"{e.From}>{e.To}");
        Assert.Equal(["None>Staging", "Staging>Archived", "Archived>Staging"], moves);
        Assert.Null(await Registry.GetProductionAsync(Model));
    }

    [Fact]
    public async Task Withdrawing_the_production_version_leaves_no_version_in_production()
    {
        await RegisterVersionsAsync(2);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        await Registry.TransitionAsync(Model, 2, ModelStage.Production, "alice", null);
        await Registry.TransitionAsync(Model, 2, ModelStage.Archived, "alice", "bad scores");

        Assert.Null(await Registry.GetProductionAsync(Model));
        Assert.Null((await Registry.ListModelsAsync()).Single().ProductionVersion);
        var refused = await RefusedAsync(RegistryErrorKind.Conflict, () => Registry.RollbackAsync(Model, "alice", null));
        Assert.Contains("no version is in Production", refused.Message, StringComparison.Ordinal);
    }

    // ---- rollback ----

    [Fact]
    public async Task Rollback_walks_back_through_the_production_history()
    {
        await RegisterVersionsAsync(3);
        foreach (var version in new[] { 1, 2, 3 })
        {
            await Registry.TransitionAsync(Model, version, ModelStage.Production, "alice", null);
        }

        var first = await Registry.RollbackAsync(Model, "bob", "v3 misbehaves");
        Assert.Equal((2, ModelStage.Production), (first.Version, first.Stage));
        Assert.Equal(ModelStage.Archived, await StageOfAsync(3));

        var second = await Registry.RollbackAsync(Model, "bob", "v2 too");
        Assert.Equal(1, second.Version);
        Assert.Equal([ModelStage.Production, ModelStage.Archived, ModelStage.Archived], [await StageOfAsync(1), await StageOfAsync(2), await StageOfAsync(3)]);

        var before = await SnapshotAsync();
        var refused = await RefusedAsync(RegistryErrorKind.Conflict, () => Registry.RollbackAsync(Model, "bob", "again"));
        Assert.Contains("no earlier Production version", refused.Message, StringComparison.Ordinal);
        Assert.Contains("version 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_rollback_is_audited_for_both_versions_with_its_reason()
    {
        await RegisterVersionsAsync(2);
        await Registry.Transition2Async(Model);
        Time.Advance(TimeSpan.FromMinutes(5));

        await Registry.RollbackAsync(Model, "bob", "v2 misbehaves");

        var log = await Registry.GetAuditLogAsync(Model, 2);
        Assert.All(log, e => Assert.Equal(("rollback", "bob", "v2 misbehaves", Start.AddMinutes(5)), (e.Action, e.Actor, e.Reason, e.At)));
        Assert.Equal([(1, "Archived", "Production"), (2, "Production", "Archived")], log.Select(e => (e.Version!.Value, e.From!, e.To!)));
    }

    [Fact]
    public async Task A_promotion_after_rollbacks_starts_from_the_current_state()
    {
        await RegisterVersionsAsync(4);
        foreach (var version in new[] { 1, 2, 3 })
        {
            await Registry.TransitionAsync(Model, version, ModelStage.Production, "alice", null);
        }

        Assert.Equal(2, (await Registry.RollbackAsync(Model, "bob", null)).Version);
        await Registry.TransitionAsync(Model, 4, ModelStage.Production, "alice", null);
        Assert.Equal(ModelStage.Archived, await StageOfAsync(2));

        Assert.Equal(2, (await Registry.RollbackAsync(Model, "bob", null)).Version);
        Assert.Equal(ModelStage.Archived, await StageOfAsync(4));
        Assert.Equal(1, (await Registry.RollbackAsync(Model, "bob", null)).Version);
        await RefusedAsync(RegistryErrorKind.Conflict, () => Registry.RollbackAsync(Model, "bob", null));
    }

    [Fact]
    public async Task A_version_withdrawn_from_production_is_not_brought_back_by_rollback()
    {
        await RegisterVersionsAsync(4);
        foreach (var version in new[] { 1, 2, 3 })
        {
            await Registry.TransitionAsync(Model, version, ModelStage.Production, "alice", null);
        }

        await Registry.TransitionAsync(Model, 3, ModelStage.Staging, "alice", "withdrawn");
        await Registry.TransitionAsync(Model, 4, ModelStage.Production, "alice", null);

        Assert.Equal(2, (await Registry.RollbackAsync(Model, "bob", null)).Version);
        Assert.Equal(ModelStage.Staging, await StageOfAsync(3));
    }

    [Fact]
    public async Task Rollback_with_a_single_promotion_is_a_conflict_that_changes_nothing()
    {
        await RegisterVersionsAsync(2);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        var before = await SnapshotAsync();

        await RefusedAsync(RegistryErrorKind.Conflict, () => Registry.RollbackAsync(Model, "bob", null));

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
    }

    // ---- aliases ----

    [Fact]
    public async Task Aliases_can_be_set_moved_and_removed()
    {
        await RegisterVersionsAsync(2);

        var champion = await Registry.SetAliasAsync(Model, "champion", 1, "alice", null);
        Assert.Equal(["champion"], champion.Aliases);
        await Registry.SetAliasAsync(Model, "challenger", 2, "alice", null);
        Assert.Equal(1, (await Registry.GetByAliasAsync(Model, "champion"))!.Version);

        var moved = await Registry.SetAliasAsync(Model, "champion", 2, "alice", "promoted");
        Assert.Equal(["challenger", "champion"], moved.Aliases);
        Assert.Empty((await Registry.GetVersionAsync(Model, 1))!.Aliases);
        Assert.Equal(2, (await Registry.GetByAliasAsync(Model, "champion"))!.Version);
        Assert.Equal(["challenger", "champion"], (await Registry.ListVersionsAsync(Model))[0].Aliases);

        Assert.True(await Registry.RemoveAliasAsync(Model, "champion", "alice", null));
        Assert.Null(await Registry.GetByAliasAsync(Model, "champion"));
        Assert.Equal(["challenger"], (await Registry.GetVersionAsync(Model, 2))!.Aliases);
        Assert.False(await Registry.RemoveAliasAsync(Model, "champion", "alice", null));
    }

    [Fact]
    public async Task Alias_changes_are_audited_with_from_and_to_versions()
    {
        await RegisterVersionsAsync(2);
        await Registry.SetAliasAsync(Model, "champion", 1, "alice", "first");
        Time.Advance(TimeSpan.FromSeconds(30));
        await Registry.SetAliasAsync(Model, "champion", 2, "bob", "better");
        await Registry.RemoveAliasAsync(Model, "champion", "carol", "retired");

        var log = (await Registry.GetAuditLogAsync(Model)).Where(e => e.Action.StartsWith("alias", StringComparison.Ordinal)).Reverse().ToList();
        Assert.Equal(
            [
                ("alias-set", "champion", 1, null, "1", "alice", "first", Start),
                ("alias-set", "champion", 2, "1", "2", "bob", "better", Start.AddSeconds(30)),
                ("alias-removed", "champion", 2, "2", null, "carol", "retired", Start.AddSeconds(30)),
            ],
            log.Select(e => (e.Action, e.Alias, e.Version, e.From, e.To, e.Actor, e.Reason, e.At)));
    }

    [Fact]
    public async Task Setting_an_alias_to_the_version_it_points_at_is_a_no_op()
    {
        await RegisterAsync();
        await Registry.SetAliasAsync(Model, "champion", 1, "alice", null);
        var before = await SnapshotAsync();

        var again = await Registry.SetAliasAsync(Model, "champion", 1, "bob", null);

        Assert.Equal(["champion"], again.Aliases);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Aliases_and_stages_are_independent()
    {
        await RegisterVersionsAsync(2);
        await Registry.SetAliasAsync(Model, "champion", 1, "alice", null);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        await Registry.TransitionAsync(Model, 2, ModelStage.Production, "alice", null);

        var archived = await Registry.GetByAliasAsync(Model, "champion");
        Assert.Equal((1, ModelStage.Archived), (archived!.Version, archived.Stage));
        Assert.Empty((await Registry.GetProductionAsync(Model))!.Aliases);
    }

    // ---- validation and not-found ----

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("café")]
    [InlineData("line\n")]
    [InlineData("semi;colon")]
    public async Task Invalid_model_names_are_refused_naming_the_field(string name)
    {
        var onRegister = await RefusedAsync(RegistryErrorKind.Invalid, () => RegisterAsync(name));
        Assert.Contains("ModelName", onRegister.Message, StringComparison.Ordinal);
        var onRead = await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.GetVersionAsync(name, 1));
        Assert.Contains("modelName", onRead.Message, StringComparison.Ordinal);
        await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.TransitionAsync(name, 1, ModelStage.Production, "alice", null));
        Assert.Empty(await Registry.ListModelsAsync());
    }

    [Fact]
    public async Task Model_names_may_be_up_to_100_letters_digits_dashes_underscores_and_dots()
    {
        var longest = new string('m', 100);
        foreach (var name in new[] { "a", "Lead-Score_v2.1", longest, ".hidden" })
        {
            Assert.Equal(name, (await RegisterAsync(name)).ModelName);
        }

        var tooLong = await RefusedAsync(RegistryErrorKind.Invalid, () => RegisterAsync(longest + "m"));
        Assert.Contains("ModelName", tooLong.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Champion")]
    [InlineData("1st")]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("dot.ted")]
    [InlineData("_lead")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Invalid_aliases_are_refused_naming_the_field(string alias)
    {
        await RegisterAsync();
        var before = await SnapshotAsync();

        var refused = await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.SetAliasAsync(Model, alias, 1, "alice", null));
        Assert.Contains("alias", refused.Message, StringComparison.Ordinal);
        await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.GetByAliasAsync(Model, alias));
        await RefusedAsync(RegistryErrorKind.Invalid, () => Registry.RemoveAliasAsync(Model, alias, "alice", null));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Aliases_may_be_lowercase_letters_digits_underscores_and_dashes()
    {
        await RegisterAsync();
        foreach (var alias in new[] { "a", "champion", "c-1_x", "a" + new string('z', 63) })
        {
            Assert.Contains(alias, (await Registry.SetAliasAsync(Model, alias, 1, "alice", null)).Aliases);
        }
    }

    [Fact]
    public async Task Other_malformed_requests_are_refused_naming_the_field()
    {
        await RegisterAsync();
        var cases = new (string Field, Func<Task> Call)[]
        {
            ("Package", () => Registry.RegisterAsync(new NewModelVersion(Model, [], "{}", "alice"))),
            ("MetadataJson", () => Registry.RegisterAsync(new NewModelVersion(Model, [1], "{not json", "alice"))),
            ("MetadataJson", () => Registry.RegisterAsync(new NewModelVersion(Model, [1], " ", "alice"))),
            ("Actor", () => Registry.RegisterAsync(new NewModelVersion(Model, [1], "{}", " "))),
            ("Tags", () => Registry.RegisterAsync(new NewModelVersion(Model, [1], "{}", "alice", Tags: new Dictionary<string, string> { [""] = "x" }))),
            ("actor", () => Registry.TransitionAsync(Model, 1, ModelStage.Staging, "", null)),
            ("stage", () => Registry.TransitionAsync(Model, 1, (ModelStage)42, "alice", null)),
            ("version", () => Registry.TransitionAsync(Model, 0, ModelStage.Staging, "alice", null)),
            ("version", () => Registry.GetVersionAsync(Model, -1)),
            ("limit", () => Registry.GetAuditLogAsync(Model, 0)),
        };
        var before = await SnapshotAsync();

        foreach (var (field, call) in cases)
        {
            var refused = await RefusedAsync(RegistryErrorKind.Invalid, call);
            Assert.Contains(field, refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Unknown_models_and_versions_are_not_found_and_change_nothing()
    {
        await RegisterVersionsAsync(2);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        await Registry.SetAliasAsync(Model, "champion", 1, "alice", null);
        var before = await SnapshotAsync();

        var calls = new Func<Task>[]
        {
            () => Registry.TransitionAsync("nope", 1, ModelStage.Production, "alice", null),
            () => Registry.TransitionAsync(Model, 9, ModelStage.Production, "alice", null),
            () => Registry.SetAliasAsync("nope", "champion", 1, "alice", null),
            () => Registry.SetAliasAsync(Model, "champion", 9, "alice", null),
            () => Registry.SetAliasAsync(Model, "challenger", 9, "alice", null),
            () => Registry.RemoveAliasAsync("nope", "champion", "alice", null),
            () => Registry.RollbackAsync("nope", "alice", null),
        };
        foreach (var call in calls)
        {
            var refused = await RefusedAsync(RegistryErrorKind.NotFound, call);
            Assert.True(refused.Message.Contains("'nope'", StringComparison.Ordinal) || refused.Message.Contains("no version 9", StringComparison.Ordinal), refused.Message);
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(1, (await Registry.GetByAliasAsync(Model, "champion"))!.Version);
    }

    [Fact]
    public async Task Reads_of_unknown_things_return_null_or_empty()
    {
        await RegisterAsync();

        Assert.Null(await Registry.GetVersionAsync("nope", 1));
        Assert.Null(await Registry.GetVersionAsync(Model, 2));
        Assert.Null(await Registry.GetProductionAsync(Model));
        Assert.Null(await Registry.GetProductionAsync("nope"));
        Assert.Null(await Registry.GetByAliasAsync(Model, "champion"));
        Assert.Null(await Registry.GetPackageAsync(Model, 2));
        Assert.Null(await Registry.GetPackageAsync("nope", 1));
        Assert.Empty(await Registry.ListVersionsAsync("nope"));
        Assert.Empty(await Registry.GetAuditLogAsync("nope"));
    }

    // ---- audit log and change token ----

    [Fact]
    public async Task The_audit_log_is_newest_first_per_model_and_limited()
    {
        await RegisterAsync("churn");
        await RegisterAsync("upsell");
        await RegisterAsync("churn");
        await Registry.TransitionAsync("upsell", 1, ModelStage.Staging, "alice", null);

        var all = await Registry.GetAuditLogAsync(null);
        Assert.Equal(4, all.Count);
        Assert.Equal(all.OrderByDescending(e => e.Id).Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal(["upsell", "churn", "upsell", "churn"], all.Select(e => e.ModelName));

        Assert.Equal([2, 1], (await Registry.GetAuditLogAsync("churn")).Select(e => e.Version!.Value));
        Assert.Equal(all.Take(2), await Registry.GetAuditLogAsync(null, 2));
    }

    [Fact]
    public async Task Every_change_moves_the_change_token_and_reads_do_not()
    {
        var tokens = new List<long> { await Registry.GetChangeTokenAsync() };
        async Task Step(Func<Task> change)
        {
            await change();
            tokens.Add(await Registry.GetChangeTokenAsync());
        }

        await Step(() => RegisterAsync());
        await Step(() => RegisterAsync());
        await Step(() => Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null));
        await Step(() => Registry.TransitionAsync(Model, 2, ModelStage.Production, "alice", null));
        await Step(() => Registry.RollbackAsync(Model, "alice", null));
        await Step(() => Registry.SetAliasAsync(Model, "champion", 1, "alice", null));
        await Step(() => Registry.RemoveAliasAsync(Model, "champion", "alice", null));

        Assert.Equal(tokens.Order().Distinct(), tokens);

        var last = tokens[^1];
        await Registry.ListModelsAsync();
        await Registry.ListVersionsAsync(Model);
        await Registry.GetProductionAsync(Model);
        await Registry.GetPackageAsync(Model, 1);
        await Registry.GetAuditLogAsync(null);
        Assert.Equal(last, await Registry.GetChangeTokenAsync());
        Assert.Equal(last, await Open().GetChangeTokenAsync());
    }

    // ---- concurrency ----

    [Fact]
    public async Task Concurrent_registrations_get_distinct_versions()
    {
        var other = Open();
        const int PerInstance = 10;

        var tasks = Enumerable.Range(0, PerInstance * 2)
            .Select(i => Task.Run(() => RegisterAsync(actor: $"writer{i}", registry: i % 2 == 0 ? Registry : other)))
            .ToArray();
        var versions = (await Task.WhenAll(tasks)).Select(v => v.Version).Order();

        Assert.Equal(Enumerable.Range(1, PerInstance * 2), versions);
        Assert.Equal(Enumerable.Range(1, PerInstance * 2).Reverse(), (await Registry.ListVersionsAsync(Model)).Select(v => v.Version));
        Assert.Equal(PerInstance * 2, (await Registry.GetAuditLogAsync(Model, 1000)).Count(e => e.Action == "register"));
        Assert.Equal(PerInstance * 2, (await Registry.ListModelsAsync()).Single().LatestVersion);
    }

    [Fact]
    public async Task Concurrent_promotions_leave_exactly_one_production_version()
    {
        const int Count = 8;
        await RegisterVersionsAsync(Count);
        var other = Open();

        var tasks = Enumerable.Range(1, Count)
            .Select(v => Task.Run(() => (v % 2 == 0 ? Registry : other).TransitionAsync(Model, v, ModelStage.Production, $"promoter{v}", null)))
            .ToArray();
        await Task.WhenAll(tasks);

        var versions = await Registry.ListVersionsAsync(Model);
        var production = Assert.Single(versions, v => v.Stage == ModelStage.Production);
        Assert.All(versions.Where(v => v != production), v => Assert.Equal(ModelStage.Archived, v.Stage));

        // The production history holds all eight promotions: seven rollbacks succeed, each leaving one Production.
        for (var i = 1; i < Count; i++)
        {
            await Registry.RollbackAsync(Model, "bob", null);
            Assert.Single(await Registry.ListVersionsAsync(Model), v => v.Stage == ModelStage.Production);
        }

        await RefusedAsync(RegistryErrorKind.Conflict, () => Registry.RollbackAsync(Model, "bob", null));
    }

    [Fact]
    public async Task Several_instances_can_create_the_schema_together()
    {
        var instances = new[] { Registry, Open(), Open(), Open() };

        await Task.WhenAll(instances.Select(r => Task.Run(() => r.InitializeAsync())));

        foreach (var instance in instances)
        {
            Assert.Equal(instance.LatestSchemaVersion, await instance.GetSchemaVersionAsync());
        }

        await RegisterAsync(registry: instances[3]);
        Assert.Equal(1, (await instances[1].GetVersionAsync(Model, 1))!.Version);
    }

    // ---- durability and health ----

    [Fact]
    public async Task Reopening_the_store_keeps_everything()
    {
        await RegisterVersionsAsync(2);
        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", null);
        await Registry.TransitionAsync(Model, 2, ModelStage.Production, "alice", null);
        await Registry.SetAliasAsync(Model, "champion", 2, "alice", null);
        var before = await SnapshotAsync();
        var package = await Registry.GetPackageAsync(Model, 2);
        await Registry.DisposeAsync();

        var reopened = Open();
        Assert.Equal(before.Token, await reopened.GetChangeTokenAsync());
        Assert.Equal(package, await reopened.GetPackageAsync(Model, 2));
        Assert.Equal(["champion"], (await reopened.GetProductionAsync(Model))!.Aliases);
        Assert.Equal(before.AuditCount, (await reopened.GetAuditLogAsync(null, 1000)).Count);
        Assert.Equal(3, (await reopened.RegisterAsync(new NewModelVersion(Model, [4], "{}", "alice"))).Version);
        Assert.Equal(1, (await reopened.RollbackAsync(Model, "alice", null)).Version);
    }

    [Fact]
    public async Task Ping_is_true_for_a_working_store()
    {
        Assert.True(await Registry.PingAsync());
    }

    [Fact]
    public async Task A_disposed_registry_refuses_further_calls()
    {
        await RegisterAsync();
        await Registry.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Registry.ListModelsAsync());
    }
}

internal static class RegistryTestExtensions
{
    /// <summary>Promotes version 1, then version 2.</summary>
    public static async Task Transition2Async(this IModelRegistry registry, string model)
    {
        await registry.TransitionAsync(model, 1, ModelStage.Production, "alice", null);
        await registry.TransitionAsync(model, 2, ModelStage.Production, "alice", null);
    }
}
