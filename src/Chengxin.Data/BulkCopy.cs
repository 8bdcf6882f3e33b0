using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Chengxin.Data;

/// <summary>
/// Inserts new rows with PostgreSQL's binary COPY, mapped by the EF model (table, columns, value
/// converters), inside the context's current transaction. Store-generated columns are left to the
/// database. The hot write paths use it on PostgreSQL; elsewhere they add entities as usual.
/// </summary>
public static class BulkCopy
{
    public static async Task InsertAsync<T>(ChengxinDb db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd || p.ClrType != typeof(long)).ToList();
        var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""));
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var getters = properties.Select(p => (Getter: p.GetGetter(), Converter: p.GetValueConverter() ?? p.GetTypeMapping().Converter)).ToArray();
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            // Rows are buffered by the importer and flushed as its buffer fills; values are written with their exact type.
            writer.StartRow();
            foreach (var (getter, converter) in getters)
            {
                var value = getter.GetClrValue(row);
                if (value is not null && converter is not null)
                {
                    value = converter.ConvertToProvider(value);
                }
                Write(writer, value);
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static void Write(NpgsqlBinaryImporter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNull(); break;
            case string v: writer.Write(v, NpgsqlDbType.Text); break;
            case Guid v: writer.Write(v, NpgsqlDbType.Uuid); break;
            case byte[] v: writer.Write(v, NpgsqlDbType.Bytea); break;
            case bool v: writer.Write(v, NpgsqlDbType.Boolean); break;
            case int v: writer.Write(v, NpgsqlDbType.Integer); break;
            case long v: writer.Write(v, NpgsqlDbType.Bigint); break;
            case decimal v: writer.Write(v, NpgsqlDbType.Numeric); break;
            case DateOnly v: writer.Write(v, NpgsqlDbType.Date); break;
            case DateTimeOffset v: writer.Write(v.ToUniversalTime(), NpgsqlDbType.TimestampTz); break;
            default: writer.Write(value); break;
        }
    }
}
