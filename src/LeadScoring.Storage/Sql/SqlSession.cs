using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace LeadScoring.Storage.Sql;

/// <summary>A typed command parameter; the type matters for NULLs on PostgreSQL.</summary>
internal readonly record struct SqlArg(string Name, object? Value, DbType Type)
{
    public static SqlArg Text(string name, string? value) => new(name, value, DbType.String);

    public static SqlArg Int(string name, int? value) => new(name, value, DbType.Int32);

    public static SqlArg Long(string name, long value) => new(name, value, DbType.Int64);

    public static SqlArg Bytes(string name, byte[] value) => new(name, value, DbType.Binary);

    public static SqlArg Double(string name, double? value) => new(name, value, DbType.Double);
}

/// <summary>One open connection and (usually) its transaction, with the few helpers a store's SQL needs.</summary>
internal sealed class SqlSession(DbConnection connection, DbTransaction? transaction)
{
    /// <summary>The open connection, for a provider's own bulk API (PostgreSQL's COPY); it joins the transaction.</summary>
    public DbConnection Connection => connection;

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "All SQL is built from constants in this assembly; values are always parameters.")]
    public DbCommand Command(string sql, IReadOnlyList<SqlArg> args)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var arg in args)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = arg.Name;
            parameter.DbType = arg.Type;
            parameter.Value = arg.Value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken)
    {
        var command = Command(sql, args);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<object?> ScalarAsync(string sql, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken)
    {
        var command = Command(sql, args);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    public async Task<long?> ScalarInt64Async(string sql, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken)
    {
        var value = await ScalarAsync(sql, args, cancellationToken).ConfigureAwait(false);
        return value is null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public async Task<int?> ScalarInt32Async(string sql, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken)
    {
        var value = await ScalarAsync(sql, args, cancellationToken).ConfigureAwait(false);
        return value is null ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, IReadOnlyList<SqlArg> args, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var command = Command(sql, args);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(map(reader));
                }

                return rows;
            }
        }
    }
}
