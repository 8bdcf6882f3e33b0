using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
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
    public static Task InsertAsync<T>(ChengxinDb db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class => InsertAsync(db, typeof(T), rows as System.Collections.ICollection ?? rows.ToList(), cancellationToken);

    /// <summary>
    /// A few rows of any entity types in one round trip: one INSERT per entity type, its rows passed as one
    /// array per column and unnested, sent as one batch after the statement <paramref name="before"/> if
    /// given. For small group commits, where the two round trips of each COPY cost more than the
    /// statements, and a statement per row cost PostgreSQL more than its row. The statements' text depends
    /// only on the entity type, so they stay prepared. Outside a transaction the batch is its own: all of
    /// it is committed, or none of it.
    /// </summary>
    public static async Task InsertBatchedAsync(ChengxinDb db, IEnumerable<object> rows, CancellationToken cancellationToken, string? before = null)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        if (before is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(before));
        }
        foreach (var group in rows.GroupBy(r => r.GetType()))
        {
            var (table, columns, getters) = Mapping(db, group.Key);
            var list = group.ToList();
            var unnested = new NpgsqlBatchCommand(
                $"INSERT INTO \"{table}\" ({columns}) SELECT * FROM unnest({string.Join(", ", getters.Select((g, i) => $"${i + 1}::{g.StoreType}[]"))})");
            foreach (var getter in getters)
            {
                unnested.Parameters.Add(new NpgsqlParameter { Value = Column(getter, list) });
            }
            batch.BatchCommands.Add(unnested);
        }
        if (batch.BatchCommands.Count == 0)
        {
            return;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task InsertAsync(ChengxinDb db, Type type, System.Collections.ICollection rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var (table, columns, getters) = Mapping(db, type);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            // Rows are buffered by the importer and flushed as its buffer fills; values are written with their exact type.
            writer.StartRow();
            foreach (var getter in getters)
            {
                if (getter.Typed is { } typed)
                {
                    typed(writer, row);
                }
                else
                {
                    Write(writer, Value(getter, row));
                }
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// A column's value: read through EF's getter and converter, or, for a property without a converter, written by
    /// <see cref="Typed"/> straight from the entity, so that an import's millions of values are not boxed one by one.
    /// </summary>
    private sealed record Getter(IClrPropertyGetter Read, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, Action<NpgsqlBinaryImporter, object>? Typed,
        string StoreType, Type ProviderType);

    // Worked out once per model and entity type: every group commit and every import transaction asks.
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, (string Table, string Columns, Getter[] Getters)>> Mappings = [];

    /// <summary>The table, its column list and a getter per column of an entity type; store-generated keys are left out.</summary>
    private static (string Table, string Columns, Getter[] Getters) Mapping(ChengxinDb db, Type type) =>
        Mappings.GetValue(db.Model, _ => new()).GetOrAdd(type, MapOf, db.Model);

    private static (string Table, string Columns, Getter[] Getters) MapOf(Type type, IModel model)
    {
        var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd || p.ClrType != typeof(long)).ToList();
        var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""));
        return (table.Name, columns, [.. properties.Select(p => (p.GetValueConverter() ?? p.GetTypeMapping().Converter) is { } converter
            ? new Getter(p.GetGetter(), converter, null, p.GetColumnType(), ElementType(converter.ProviderClrType, p.IsNullable))
            : new Getter(p.GetGetter(), null, TypedWriter(p), p.GetColumnType(), ElementType(p.ClrType, p.IsNullable)))]);
    }

    // A nullable column of a value type is an array of nullable values (int?[]); Npgsql writes their nulls as SQL NULLs.
    private static Type ElementType(Type type, bool nullable) =>
        nullable && type.IsValueType && System.Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type;

    /// <summary>One column of the rows as a typed array, the parameter an unnest takes.</summary>
    private static Array Column(Getter getter, List<object> rows)
    {
        var values = Array.CreateInstance(getter.ProviderType, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            // timestamptz takes UTC only.
            var value = Value(getter, rows[i]);
            values.SetValue(value is DateTimeOffset at ? at.ToUniversalTime() : value, i);
        }
        return values;
    }

    private static object? Value(Getter getter, object row)
    {
        var value = getter.Read.GetClrValue(row);
        return value is not null && getter.Converter is not null ? getter.Converter.ConvertToProvider(value) : value;
    }

    private static readonly Dictionary<Type, NpgsqlDbType> DbTypes = new()
    {
        [typeof(string)] = NpgsqlDbType.Text,
        [typeof(Guid)] = NpgsqlDbType.Uuid,
        [typeof(byte[])] = NpgsqlDbType.Bytea,
        [typeof(bool)] = NpgsqlDbType.Boolean,
        [typeof(int)] = NpgsqlDbType.Integer,
        [typeof(long)] = NpgsqlDbType.Bigint,
        [typeof(decimal)] = NpgsqlDbType.Numeric,
        [typeof(DateOnly)] = NpgsqlDbType.Date,
        [typeof(DateTimeOffset)] = NpgsqlDbType.TimestampTz,
    };

    private static readonly MethodInfo WriteWithType = typeof(NpgsqlBinaryImporter).GetMethods()
        .Single(m => m.Name == nameof(NpgsqlBinaryImporter.Write) && m.IsGenericMethodDefinition && m.GetParameters() is [_, { ParameterType: var t }] && t == typeof(NpgsqlDbType));

    private static readonly MethodInfo WriteInferred = typeof(NpgsqlBinaryImporter).GetMethods()
        .Single(m => m.Name == nameof(NpgsqlBinaryImporter.Write) && m.IsGenericMethodDefinition && m.GetParameters().Length == 1);

    /// <summary>(importer, row) => write row.Property with its exact type, or null; the same choices as <see cref="Write"/>, compiled once.</summary>
    private static Action<NpgsqlBinaryImporter, object>? TypedWriter(IProperty property)
    {
        var importer = Expression.Parameter(typeof(NpgsqlBinaryImporter), "importer");
        var row = Expression.Parameter(typeof(object), "row");
        var entity = Expression.Convert(row, property.DeclaringType.ClrType);
        Expression? member = property.PropertyInfo is { } info ? Expression.Property(entity, info)
            : property.FieldInfo is { } field ? Expression.Field(entity, field) : null;
        if (member is null)
        {
            return null; // a shadow property: read through EF
        }
        var underlying = Nullable.GetUnderlyingType(member.Type);
        var type = underlying ?? member.Type;
        Expression value = underlying is null ? member : Expression.Property(member, nameof(Nullable<int>.Value));
        if (type == typeof(DateTimeOffset))
        {
            value = Expression.Call(value, nameof(DateTimeOffset.ToUniversalTime), null);
        }
        Expression write = DbTypes.TryGetValue(type, out var dbType)
            ? Expression.Call(importer, WriteWithType.MakeGenericMethod(type), value, Expression.Constant(dbType))
            : Expression.Call(importer, WriteInferred.MakeGenericMethod(type), value);
        var writeNull = Expression.Call(importer, nameof(NpgsqlBinaryImporter.WriteNull), null);
        var body = underlying is not null ? Expression.IfThenElse(Expression.Property(member, nameof(Nullable<int>.HasValue)), write, writeNull)
            : !type.IsValueType ? Expression.IfThenElse(Expression.Equal(member, Expression.Constant(null, member.Type)), writeNull, write)
            : write;
        return Expression.Lambda<Action<NpgsqlBinaryImporter, object>>(body, importer, row).Compile();
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
