using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Subjects;

/// <summary>A subject as given in a request body (EXCHANGE.md, "Identities").</summary>
public sealed record SubjectInput(string? IdType, string? IdNumber, string? Name);

/// <summary>
/// Finds and registers subjects. Numbers and names are encrypted before they reach the database and
/// looked up through the blind index; nothing else in the platform holds them.
/// </summary>
public sealed class SubjectRegistry(ChengxinDb db, FieldCipher cipher, BlindIndex index, TimeProvider clock)
{
    /// <summary>Checks a subject's identity: the type, the number by its type's rules, and a name.</summary>
    public IReadOnlyList<IdentityError> Check(SubjectInput input, out IdType type, out string normalised)
    {
        normalised = "";
        var errors = new List<IdentityError>();
        if (!IdTypes.TryParse(input.IdType, out type))
        {
            errors.Add(new("idType", $"idType must be one of {string.Join(", ", IdTypes.All.Select(t => t.ToCode()))}."));
            return errors;
        }
        var check = Certificates.Check(type, input.IdNumber, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (!check.IsValid)
        {
            errors.Add(new("idNumber", $"{check.Error!.Code}: {check.Error.Message}"));
        }
        else
        {
            normalised = check.Normalised!;
        }
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100)
        {
            errors.Add(new("name", "name is required, at most 100 characters."));
        }
        return errors;
    }

    public async Task<Subject?> FindAsync(IdType type, string normalisedNumber, CancellationToken cancellationToken)
    {
        var key = index.Compute(type.ToCode(), normalisedNumber);
        return await db.Subjects.SingleOrDefaultAsync(s => s.BlindIndex == key, cancellationToken);
    }

    /// <summary>The subject with this certificate, registered now if the platform did not know it. The caller saves.</summary>
    public async Task<Subject> FindOrAddAsync(IdType type, string normalisedNumber, string name, bool synthetic, CancellationToken cancellationToken)
    {
        if (await FindAsync(type, normalisedNumber, cancellationToken) is { } known)
        {
            return known;
        }
        var id = Guid.CreateVersion7();
        var subject = new Subject
        {
            Id = id,
            IdType = type.ToCode(),
            BlindIndex = index.Compute(type.ToCode(), normalisedNumber),
            IdNumberCipher = cipher.Encrypt(normalisedNumber, Binding(id, "idNumber")),
            NameCipher = cipher.Encrypt(name.Trim(), Binding(id, "name")),
            IdNumberTail = normalisedNumber[^4..],
            DivisionCode = type == IdType.ResidentId ? normalisedNumber[..6] : null,
            Synthetic = synthetic,
        };
        db.Subjects.Add(subject);
        return subject;
    }

    /// <summary>The masked number (<c>430102********1234</c>), without decrypting.</summary>
    public static string MaskedNumber(Subject subject) =>
        subject.DivisionCode is { } division ? $"{division}********{subject.IdNumberTail}" : $"****{subject.IdNumberTail}";

    public string Name(Subject subject) => cipher.Decrypt(subject.NameCipher, Binding(subject.Id, "name"));

    public string Number(Subject subject) => cipher.Decrypt(subject.IdNumberCipher, Binding(subject.Id, "idNumber"));

    // The row and column a ciphertext belongs to: moved to another row or column, it no longer decrypts.
    private static string Binding(Guid subjectId, string column) => $"subjects/{subjectId:N}/{column}";
}

public static class SubjectSetup
{
    public static IServiceCollection AddSubjects(this IServiceCollection services) => services.AddScoped<SubjectRegistry>();
}
