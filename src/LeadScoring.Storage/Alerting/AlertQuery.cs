using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>The WHERE clause of a list of alerts: only the filter's set fields, every value a parameter.</summary>
internal static class AlertQuery
{
    public static (string Condition, List<SqlArg> Args) Where(SqlDialect dialect, AlertFilter filter, long? before)
    {
        var clauses = new List<string>();
        var args = new List<SqlArg>();
        if (before is long id)
        {
            clauses.Add("id < @before");
            args.Add(SqlArg.Long("@before", id));
        }

        if (filter.State is { } state)
        {
            clauses.Add("state = @state");
            args.Add(SqlArg.Text("@state", AlertNames.Of(state)));
        }

        if (filter.Level is { } level)
        {
            clauses.Add("level = @level");
            args.Add(SqlArg.Text("@level", AlertNames.Of(level)));
        }

        if (filter.Rule is { } rule)
        {
            clauses.Add("rule = @rule");
            args.Add(SqlArg.Text("@rule", rule));
        }

        if (filter.Model is { } model)
        {
            clauses.Add("model = @model");
            args.Add(SqlArg.Text("@model", model));
        }

        if (filter.From is { } from)
        {
            clauses.Add("updated_at >= @from");
            args.Add(dialect.TimeArg("@from", AlertNames.Micro(from)));
        }

        if (filter.To is { } to)
        {
            clauses.Add("updated_at < @to");
            args.Add(dialect.TimeArg("@to", AlertNames.Micro(to)));
        }

        return (clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses), args);
    }
}
