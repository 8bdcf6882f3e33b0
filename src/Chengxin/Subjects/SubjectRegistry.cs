using Chengxin.Calendar;
using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Records;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Subjects;

/// <summary>A subject as given in a request body (EXCHANGE.md, "Identities").</summary>
public sealed record SubjectInput(string? IdType, string? IdNumber, string? Name);

/// <summary>
/// Finds and registers subjects. Numbers and names are encrypted before they reach the database and
/// looked up through the blind index; nothing else in the platform holds them.
/// </summary>
public sealed class SubjectRegistry(ChengxinDb db, FieldCipher cipher, BlindIndex index, FirstReleaseIndexForms firstRelease, TimeProvider clock)
{
    /// <summary>Checks a subject's identity: the type, the number by its type's rules, and a name; errors name <c>subject.*</c> fields.</summary>
    public IReadOnlyList<FieldError> Check(SubjectInput? input, out IdType type, out string normalised)
    {
        normalised = "";
        type = default;
        if (input is null)
        {
            return [new("subject", "required", "subject is required: { idType, idNumber, name }.")];
        }
        var errors = new List<FieldError>();
        if (!IdTypes.TryParse(input.IdType, out type))
        {
            errors.Add(new("subject.idType", input.IdType is null ? "required" : "enum", $"idType must be one of {string.Join(", ", IdTypes.All.Select(t => t.ToCode()))}."));
        }
        else
        {
            var check = Certificates.Check(type, input.IdNumber, ChinaTime.Today(clock));
            if (check.IsValid)
            {
                normalised = check.Normalised!;
            }
            else
            {
                errors.Add(new("subject.idNumber", check.Error!.Code, check.Error.Message));
            }
        }
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new("subject.name", "required", "name is required."));
        }
        else if (input.Name.Trim().Length > 100)
        {
            errors.Add(new("subject.name", "max-length", "name has more than 100 characters."));
        }
        return errors;
    }

    /// <summary>A certificate's blind-index values: under the current key first, then under keys being rotated out.</summary>
    /// <remarks>After <see cref="PrepareLookupsAsync"/>, the first release's forms are left out if the database holds none.</remarks>
    public IReadOnlyList<string> IndexValues(IdType type, string normalisedNumber) => index.ComputeAll(type.ToCode(), normalisedNumber, firstRelease.MayExist);

    /// <summary>Learns, once in a while, whether lookups must still try the first release's index form.</summary>
    public Task PrepareLookupsAsync(CancellationToken cancellationToken) => firstRelease.RefreshAsync(db, cancellationToken);

    /// <summary>The subject with this certificate, under the current index key or, while the index is being rotated, an older one.</summary>
    public async Task<Subject?> FindAsync(IdType type, string normalisedNumber, CancellationToken cancellationToken)
    {
        await PrepareLookupsAsync(cancellationToken);
        var keys = IndexValues(type, normalisedNumber);
        return await db.Subjects.FirstOrDefaultAsync(s => keys.Contains(s.BlindIndex), cancellationToken);
    }

    /// <summary>
    /// The ids of the known subjects among these certificates, each given by its index values (<see cref="IndexValues"/>), in one query, keyed by the
    /// current value. While the index is being rotated, a subject still under an old key is found by that key and reported under the current one.
    /// </summary>
    public async Task<Dictionary<string, Guid>> FindIdsByIndexAsync(IEnumerable<IReadOnlyList<string>> indexValues, CancellationToken cancellationToken)
    {
        var byValue = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var all in indexValues)
        {
            foreach (var value in all)
            {
                byValue[value] = all[0];
            }
        }
        var values = byValue.Keys.ToArray();
        // As for records (PushService): one index probe per key, planned for the table as it is now; only the key and the id are read.
        var found = await FreshPlans.LookUpAsync(db, () => (db.Database.IsNpgsql()
            ? db.Database.SqlQuery<IndexedId>($"SELECT s.\"BlindIndex\" AS \"Value\", s.\"Id\" FROM unnest({values}) AS k(value) CROSS JOIN LATERAL (SELECT \"BlindIndex\", \"Id\" FROM \"Subjects\" WHERE \"BlindIndex\" = k.value LIMIT 1) s")
            : db.Subjects.Where(s => values.Contains(s.BlindIndex)).Select(s => new IndexedId(s.BlindIndex, s.Id))).ToListAsync(cancellationToken), cancellationToken);
        var result = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (value, id) in found)
        {
            result[byValue[value]] = id;
        }
        return result;
    }

    /// <summary>A subject's blind-index value and id.</summary>
    public sealed record IndexedId(string Value, Guid Id);

    /// <summary>The subject with this certificate, registered now if the platform did not know it. The caller saves.</summary>
    public async Task<Subject> FindOrAddAsync(IdType type, string normalisedNumber, string name, bool synthetic, CancellationToken cancellationToken)
    {
        if (await FindAsync(type, normalisedNumber, cancellationToken) is { } known)
        {
            return known;
        }
        return Add(type, normalisedNumber, name, synthetic);
    }

    /// <summary>Registers a subject not known yet, its number and name encrypted. The caller saves.</summary>
    public Subject Add(IdType type, string normalisedNumber, string name, bool synthetic)
    {
        var subject = Create(type, normalisedNumber, name, synthetic);
        db.Subjects.Add(subject);
        return subject;
    }

    /// <summary>A new subject row, encrypted, not yet added to any context (bulk paths write it themselves).</summary>
    public Subject Create(IdType type, string normalisedNumber, string name, bool synthetic, string? blindIndex = null)
    {
        var id = PooledRandom.NewGuidVersion7();
        var subject = new Subject
        {
            Id = id,
            IdType = type.ToCode(),
            BlindIndex = blindIndex ?? index.Compute(type.ToCode(), normalisedNumber),
            IdNumberCipher = cipher.Encrypt(normalisedNumber, Binding(id, "idNumber")),
            NameCipher = cipher.Encrypt(name.Trim(), Binding(id, "name")),
            KeyId = cipher.CurrentKeyId,
            // What MaskedNumber(type, number) keeps.
            IdNumberTail = normalisedNumber[^4..],
            DivisionCode = type == IdType.ResidentId ? normalisedNumber[..6] : null,
            Synthetic = synthetic,
        };
        return subject;
    }

    /// <summary>The masked number (<c>430102********1234</c>), without decrypting.</summary>
    public static string MaskedNumber(Subject subject) => MaskedNumber(subject.DivisionCode, subject.IdNumberTail);

    /// <summary>A number masked as it would be for a person registered with it, whether or not one is.</summary>
    public static string MaskedNumber(IdType type, string normalisedNumber) =>
        MaskedNumber(type == IdType.ResidentId ? normalisedNumber[..6] : null, normalisedNumber[^4..]);

    private static string MaskedNumber(string? division, string tail) => division is not null ? $"{division}********{tail}" : $"****{tail}";

    /// <summary>Whom a document handed on is about, masked (<c>430102********1234 张*</c>): a report's verification, a consent receipt.</summary>
    public static string MaskedIdentity(Subject subject, string name) => $"{MaskedNumber(subject)} {Masking.Name(name)}";

    /// <summary>
    /// Whether a name given in a query is the person's registered name: a query about someone must name them as the
    /// certificate does, so a right number with another name reads nothing. Compared after NFKC (full-width forms),
    /// without spaces, with the middle dots of transliterated names (·, •, ・ ...) taken as one.
    /// </summary>
    /// <param name="registered">The person's name, decrypted (<see cref="Name"/>).</param>
    public static bool SameName(string registered, string? given) =>
        given is not null && string.Equals(ComparableName(registered), ComparableName(given), StringComparison.OrdinalIgnoreCase);

    private static string ComparableName(string name)
    {
        var folded = name.Normalize(System.Text.NormalizationForm.FormKC);
        var kept = new System.Text.StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (!char.IsWhiteSpace(c))
            {
                kept.Append(c is '•' or '・' or '‧' or '∙' or '⋅' or '．' or '.' ? '·' : c);
            }
        }
        return kept.ToString();
    }

    public string Name(Subject subject) => cipher.Decrypt(subject.NameCipher, Binding(subject.Id, "name"));

    public string Number(Subject subject) => cipher.Decrypt(subject.IdNumberCipher, Binding(subject.Id, "idNumber"));

    // The row and column a ciphertext belongs to: moved to another row or column, it no longer decrypts.
    public static string Binding(Guid subjectId, string column) => $"subjects/{subjectId:N}/{column}";
}

public static class SubjectSetup
{
    public static IServiceCollection AddSubjects(this IServiceCollection services) => services.AddScoped<SubjectRegistry>();
}
