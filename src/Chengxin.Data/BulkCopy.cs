using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

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
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var property in properties)
            {
                var value = property.GetGetter().GetClrValue(row);
                if (value is not null && (property.GetValueConverter() ?? property.GetTypeMapping().Converter) is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                if (value is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(value, cancellationToken);
                }
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
