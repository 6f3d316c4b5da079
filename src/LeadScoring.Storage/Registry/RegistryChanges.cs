using System.Globalization;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The registry's stage and alias changes as steps of a caller's write transaction, so <see cref="ModelRegistry"/>
/// and a store in the same database (the deployments' approval) make them with the same statements, audit entries
/// and production history. Each returns whether it changed anything; the caller bumps the change token
/// (<see cref="RegistryStatements.BumpChangeTokenAsync"/>) as its transaction's last statement when one did.
/// </summary>
internal sealed class RegistryChanges(SqlDialect dialect, RegistryStatements statements)
{
    /// <summary>
    /// Moves <paramref name="version"/> to <paramref name="stage"/> (see <see cref="ModelRegistry.TransitionAsync"/>):
    /// promoting archives the previous Production version and pushes the promoted one onto the production history;
    /// moving the Production version elsewhere pops it. False (nothing written) when it already has that stage.
    /// </summary>
    public async Task<bool> TransitionAsync(
        SqlSession session, string modelName, int version, ModelStage stage, string actor, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var modelId = await statements.LockModelAsync(session, modelName, cancellationToken).ConfigureAwait(false);
        var current = await RegistryStatements.RequireStageAsync(session, modelId, modelName, version, cancellationToken).ConfigureAwait(false);
        if (current == stage)
        {
            return false;
        }

        if (stage == ModelStage.Production)
        {
            var previous = await RegistryStatements.ProductionVersionAsync(session, modelId, cancellationToken).ConfigureAwait(false);
            if (previous is int p)
            {
                await statements.SetStageAsync(session, modelId, p, ModelStage.Archived, now, cancellationToken).ConfigureAwait(false);
                await statements.AuditAsync(session, now, actor, modelName, p, "stage", null, nameof(ModelStage.Production), nameof(ModelStage.Archived), reason, cancellationToken).ConfigureAwait(false);
            }

            await statements.SetStageAsync(session, modelId, version, ModelStage.Production, now, cancellationToken).ConfigureAwait(false);
            await statements.AuditAsync(session, now, actor, modelName, version, "stage", null, current.ToString(), stage.ToString(), reason, cancellationToken).ConfigureAwait(false);
            await session.ExecuteAsync(
                "INSERT INTO production_history (model_id, version, promoted_at, promoted_by) VALUES (@id, @version, @now, @actor)",
                [SqlArg.Long("@id", modelId), SqlArg.Int("@version", version), dialect.TimeArg("@now", now), SqlArg.Text("@actor", actor)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }

        await statements.SetStageAsync(session, modelId, version, stage, now, cancellationToken).ConfigureAwait(false);
        await statements.AuditAsync(session, now, actor, modelName, version, "stage", null, current.ToString(), stage.ToString(), reason, cancellationToken).ConfigureAwait(false);
        if (current == ModelStage.Production)
        {
            var top = await RegistryStatements.HistoryTopAsync(session, modelId, 1, cancellationToken).ConfigureAwait(false);
            if (top.Count == 1 && top[0].Version == version)
            {
                await RegistryStatements.DeleteHistoryEntryAsync(session, top[0].Id, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> with an audit entry; false (nothing written) when it already does.</summary>
    public async Task<bool> SetAliasAsync(
        SqlSession session, string modelName, string alias, int version, string actor, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var modelId = await statements.LockModelAsync(session, modelName, cancellationToken).ConfigureAwait(false);
        await RegistryStatements.RequireStageAsync(session, modelId, modelName, version, cancellationToken).ConfigureAwait(false);
        var previous = await session.ScalarInt32Async(
            "SELECT version FROM model_aliases WHERE model_id = @id AND alias = @alias",
            [SqlArg.Long("@id", modelId), SqlArg.Text("@alias", alias)],
            cancellationToken).ConfigureAwait(false);
        if (previous == version)
        {
            return false;
        }

        await session.ExecuteAsync(
            """
            INSERT INTO model_aliases (model_id, alias, version, updated_at, updated_by)
            VALUES (@id, @alias, @version, @now, @actor)
            ON CONFLICT (model_id, alias) DO UPDATE
            SET version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            [SqlArg.Long("@id", modelId), SqlArg.Text("@alias", alias), SqlArg.Int("@version", version), dialect.TimeArg("@now", now), SqlArg.Text("@actor", actor)],
            cancellationToken).ConfigureAwait(false);
        await statements.AuditAsync(session, now, actor, modelName, version, "alias-set", alias, VersionText(previous), VersionText(version), reason, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>How a version appears in an alias's audit entry.</summary>
    public static string? VersionText(int? version) => version?.ToString(CultureInfo.InvariantCulture);
}
