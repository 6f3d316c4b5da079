using LeadScoring.Application.Deployments;
using LeadScoring.Application.Registration;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Storage;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Deployments;

/// <summary>
/// Start, status, approve and abort over a real SQLite registry and deployment store (resolved as the hosts
/// resolve them): what start checks against the registry, the salt, and what each refusal names.
/// </summary>
public sealed class DeploymentUseCasesTests : IClassFixture<TrainedPackages>, IAsyncLifetime, IAsyncDisposable
{
    private const string Model = "leads";

    private readonly TrainedPackages _packages;
    private readonly ApplicationHost _host = new();

    public DeploymentUseCasesTests(TrainedPackages packages) => _packages = packages;

    private DeploymentUseCases UseCases => _host.Services.GetRequiredService<DeploymentUseCases>();

    private DeploymentStore Store => _host.Services.GetRequiredService<DeploymentStore>();

    private IModelRegistry Registry => _host.Services.GetRequiredService<IModelRegistry>();

    private string DatabasePath => Path.Combine(_host.DataDirectory, StorageOptions.SqliteFileName);

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit v2 disposes a test class through IAsyncLifetime, never IAsyncDisposable (the host's scratch folder was left
    // behind); IAsyncDisposable is for the analyzers, which see a disposable field.
    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_start_takes_the_production_version_as_champion_and_draws_a_fresh_16_byte_salt()
    {
        await RegisterAsync();

        var first = await UseCases.StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.AB, "alice", Reason: "try v2"));

        Assert.Equal((1, (int?)2, DeploymentMode.AB, DeploymentNames.DefaultAbShare, "alice", "try v2"), (first.ChampionVersion, first.ChallengerVersion, first.Mode, first.Share, first.CreatedBy, first.Reason));
        Assert.Matches("^[0-9a-f]{32}$", first.Salt);
        await UseCases.AbortAsync(first.Id, "alice", null);

        var second = await UseCases.StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.Canary, "alice", ChampionVersion: 1));
        Assert.Matches("^[0-9a-f]{32}$", second.Salt);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.Equal((0.10, 3), (second.Share, second.Steps.Count));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "no-production", "ModelName" },
        { "bad-name", "ModelName" },
        { "champion-not-production", "ChampionVersion" },
        { "unknown-challenger", "ChallengerVersion" },
        { "challenger-is-champion", "ChallengerVersion" },
        { "no-challenger", "ChallengerVersion" },
        { "other-features", "ChallengerVersion" },
        { "unloadable", "ChallengerVersion" },
        { "bad-share", "Share" },
        { "bad-steps", "Steps[0].Share" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_start_names_the_field_and_writes_nothing(string problem, string field)
    {
        await RegisterAsync(production: problem != "no-production");
        if (problem == "unloadable")
        {
            await CorruptPackageAsync(2);
        }

        var request = problem switch
        {
            "no-production" or "bad-name" or "champion-not-production" or "bad-share" or "bad-steps" or "no-challenger" or "other-features" or "unloadable"
                => new StartDeploymentRequest(Model, problem switch { "other-features" => 3, "no-challenger" => null, _ => 2 }, DeploymentMode.AB, "alice"),
            "unknown-challenger" => new StartDeploymentRequest(Model, 9, DeploymentMode.AB, "alice"),
            "challenger-is-champion" => new StartDeploymentRequest(Model, 1, DeploymentMode.AB, "alice"),
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
        };
        request = problem switch
        {
            "bad-name" => request with { ModelName = "no spaces" },
            "champion-not-production" => request with { ChampionVersion = 2 },
            "bad-share" => request with { Share = 0 },
            "bad-steps" => request with { Mode = DeploymentMode.Canary, Steps = [new(1.5, null)] },
            _ => request,
        };

        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => UseCases.StartAsync(request));

        Assert.Equal(field, refused.ParamName);
        Assert.StartsWith(field + " ", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ListAsync(null));
        if (problem == "unloadable")
        {
            Assert.Contains("cannot be loaded", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_second_start_while_one_is_active_is_a_conflict()
    {
        await RegisterAsync();
        var active = await UseCases.StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.Shadow, "alice"));

        var refused = await Assert.ThrowsAsync<DeploymentConflictException>(() => UseCases.StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.AB, "bob")));

        Assert.Equal(active.Id, refused.DeploymentId);
    }

    [Fact]
    public async Task Status_shows_the_deployment_with_its_events_and_approval_makes_the_challenger_production()
    {
        await RegisterAsync();
        var ab = await UseCases.StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.AB, "alice", Share: 0.2));
        Assert.Null(await UseCases.GetStatusAsync(ab.Id + 1));
        Assert.Null(await UseCases.GetActiveStatusAsync("other"));
        var active = await UseCases.GetActiveStatusAsync(Model);
        Assert.Equal((ab, DeploymentNames.Started), (active!.Deployment, Assert.Single(active.Events).Action));

        _host.Clock.Advance(TimeSpan.FromDays(5));
        await UseCases.ApproveAsync(ab.Id, "carol", "promote: conversion +7 %");

        var status = await UseCases.GetStatusAsync(ab.Id);
        Assert.Equal(DeploymentState.Completed, status!.Deployment.State);
        Assert.Equal([DeploymentNames.Started, DeploymentNames.Approved, DeploymentNames.Completed], status.Events.Select(e => e.Action));
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Equal(2, (await Registry.GetByAliasAsync(Model, DeploymentStore.ChampionAlias))!.Version);
        Assert.Null(await UseCases.GetActiveStatusAsync(Model));
    }

    [Fact]
    public async Task An_abort_ends_an_active_deployment_and_says_how_an_ended_one_ended()
    {
        await RegisterAsync();
        var canary = await UseCases.StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.Canary, "alice"));

        var aborted = await UseCases.AbortAsync(canary.Id, "bob", "wrong version");

        Assert.Equal((DeploymentState.Aborted, "wrong version"), (aborted.State, aborted.Reason));
        var again = await Assert.ThrowsAsync<DeploymentConflictException>(() => UseCases.AbortAsync(canary.Id, "bob", null));
        Assert.Contains("aborted", again.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => UseCases.AbortAsync(canary.Id + 1, "bob", null));
        await Assert.ThrowsAsync<DeploymentConflictException>(() => UseCases.ApproveAsync(canary.Id, "bob", null));
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
    }

    /// <summary>v1 and v2 on the same features (v1 in Production unless told otherwise), v3 on fewer features.</summary>
    private async Task RegisterAsync(bool production = true)
    {
        var registration = _host.Services.GetRequiredService<ModelRegistration>();
        await registration.RegisterAsync(new RegistrationRequest(Model, _packages.Champion, "system:test"));
        await registration.RegisterAsync(new RegistrationRequest(Model, _packages.Challenger, "system:test"));
        await registration.RegisterAsync(new RegistrationRequest(Model, _packages.OtherFeatures, "system:test", AllowSchemaChange: true));
        if (production)
        {
            await Registry.TransitionAsync(Model, 1, ModelStage.Production, "system:test", null);
        }
    }

    private async Task CorruptPackageAsync(int version)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var corrupt = connection.CreateCommand();
        corrupt.CommandText = $"UPDATE model_versions SET package = zeroblob(64) WHERE version = {version}";
        Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());
    }
}
