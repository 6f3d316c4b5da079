using System.Data.Common;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>The SQL of silences, for the unit-of-work bodies of <see cref="AlertStore"/>.</summary>
internal sealed class AlertSilenceStatements(SqlDialect dialect)
{
    private const string Columns = "id, rule, subject, model, starts_at, ends_at, created_by, reason, created_at, expired_at";

    // In force at @at: started, not ended, not expired early.
    private const string InForce = "starts_at <= @at AND ends_at > @at AND (expired_at IS NULL OR expired_at > @at)";

    public async Task<long> InsertAsync(SqlSession session, NewSilence silence, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            """
            INSERT INTO alert_silences (rule, subject, model, starts_at, ends_at, created_by, reason, created_at, expired_at)
            VALUES (@rule, @subject, @model, @starts, @ends, @by, @reason, @now, NULL)
            RETURNING id
            """,
            [
                SqlArg.Text("@rule", silence.Rule), SqlArg.Text("@subject", silence.Subject), SqlArg.Text("@model", silence.Model),
                dialect.TimeArg("@starts", AlertNames.Micro(silence.StartsAt)), dialect.TimeArg("@ends", AlertNames.Micro(silence.EndsAt)),
                SqlArg.Text("@by", silence.CreatedBy), SqlArg.Text("@reason", silence.Reason), dialect.TimeArg("@now", now),
            ],
            cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the insert returned no id");

    /// <summary>
    /// The end of the silences in force at <paramref name="at"/> that match the rule, subject and model (a null
    /// field of a silence matches any; a silence naming a model does not match a finding without one): the latest
    /// end, where an early expiry ends a silence; null when none matches.
    /// </summary>
    public async Task<DateTimeOffset?> SilencedUntilAsync(SqlSession session, string rule, string subject, string? model, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var ends = await session.QueryAsync(
            $"""
            SELECT CASE WHEN expired_at IS NOT NULL AND expired_at < ends_at THEN expired_at ELSE ends_at END FROM alert_silences
            WHERE {InForce}
              AND (rule IS NULL OR rule = @rule) AND (subject IS NULL OR subject = @subject) AND (model IS NULL OR model = @model)
            """,
            [dialect.TimeArg("@at", at), SqlArg.Text("@rule", rule), SqlArg.Text("@subject", subject), SqlArg.Text("@model", model)],
            r => dialect.ReadTime(r, 0),
            cancellationToken).ConfigureAwait(false);
        return ends.Count == 0 ? null : ends.Max();
    }

    /// <summary>The silences in force at <paramref name="at"/>, or all of them; newest first.</summary>
    public Task<List<Silence>> ListAsync(SqlSession session, DateTimeOffset at, bool includeEnded, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {Columns} FROM alert_silences {(includeEnded ? "" : "WHERE " + InForce)} ORDER BY id DESC",
            includeEnded ? [] : [dialect.TimeArg("@at", at)],
            MapSilence,
            cancellationToken);

    public async Task<Silence?> ReadAsync(SqlSession session, long id, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync($"SELECT {Columns} FROM alert_silences WHERE id = @id", [SqlArg.Long("@id", id)], MapSilence, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Ends a silence at <paramref name="at"/> unless it was already expired (the first expiry stands).</summary>
    public Task<int> ExpireAsync(SqlSession session, long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "UPDATE alert_silences SET expired_at = @at WHERE id = @id AND expired_at IS NULL",
            [dialect.TimeArg("@at", at), SqlArg.Long("@id", id)],
            cancellationToken);

    private Silence MapSilence(DbDataReader r) => new(
        Id: r.GetInt64(0),
        Rule: r.IsDBNull(1) ? null : r.GetString(1),
        Subject: r.IsDBNull(2) ? null : r.GetString(2),
        Model: r.IsDBNull(3) ? null : r.GetString(3),
        StartsAt: dialect.ReadTime(r, 4),
        EndsAt: dialect.ReadTime(r, 5),
        CreatedBy: r.GetString(6),
        Reason: r.GetString(7),
        CreatedAt: dialect.ReadTime(r, 8),
        ExpiredAt: r.IsDBNull(9) ? null : dialect.ReadTime(r, 9));
}
