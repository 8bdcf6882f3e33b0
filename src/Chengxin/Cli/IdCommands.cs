using System.CommandLine;
using Chengxin.Identity;

namespace Chengxin.Cli;

/// <summary><c>chengxin id check VALUE</c>: is this a valid resident ID number or unified social credit code, and if not, exactly why.</summary>
public static class IdCommands
{
    public static Command Create()
    {
        var value = new Argument<string>("value") { Description = "An 18-character resident ID number or unified social credit code." };
        var type = new Option<string?>("--type")
        {
            Description = "resident-id, credit-code, or another certificate type (hk-macao-permit, taiwan-permit, foreign-permanent-resident, passport). By default: guessed from the value.",
        };
        var check = new Command("check", "Check an identity number; exit 0 when valid, 1 when not.") { value, type };
        check.SetAction(parse => Check(parse.GetValue(value)!, parse.GetValue(type)));
        return new Command("id", "Identity numbers and codes.") { check };
    }

    public static int Check(string value, string? type)
    {
        var today = Calendar.ChinaTime.Today(TimeProvider.System);
        var kind = type ?? Guess(value);
        IdentityCheck result;
        string label;
        if (kind == "credit-code")
        {
            result = CreditCode.Check(value);
            label = "unified social credit code";
        }
        else if (IdTypes.TryParse(kind, out var idType))
        {
            result = Certificates.Check(idType, value, today);
            label = idType == IdType.ResidentId ? "resident ID number" : kind;
        }
        else
        {
            Console.Error.WriteLine($"chengxin: --type '{kind}' is not one of credit-code, {string.Join(", ", IdTypes.All.Select(t => t.ToCode()))}.");
            return 2;
        }
        if (result.IsValid)
        {
            Console.WriteLine($"valid {label}: {result.Normalised}");
            return 0;
        }
        Console.WriteLine($"invalid {label} ({result.Error!.Code}): {result.Error.Message}");
        return 1;
    }

    // Resident ID numbers are digits with a final digit or X; credit codes usually hold letters, and a digit-only
    // code is told apart by its check character.
    private static string Guess(string value)
    {
        var v = value.Trim().ToUpperInvariant();
        if (v.Length == 18 && v[..17].All(char.IsAsciiDigit) && (char.IsAsciiDigit(v[17]) || v[17] == 'X'))
        {
            return CreditCode.Check(v).IsValid && !ResidentIdNumber.Check(v, DateOnly.MaxValue).IsValid ? "credit-code" : "resident-id";
        }
        return v.Length == 18 ? "credit-code" : "resident-id";
    }
}
