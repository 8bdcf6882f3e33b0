using System.Text.RegularExpressions;

namespace Chengxin.Catalog;

/// <summary>A rule a catalog breaks, naming the item and what is wrong.</summary>
public sealed record CatalogViolation(string ItemCode, string Code, string Message);

/// <summary>
/// What a catalog must satisfy before it is loaded: every item has a legal basis and a well-formed
/// schema, and a city catalog never loosens what the province decided.
/// </summary>
public static partial class CatalogRules
{
    public static IReadOnlyList<CatalogViolation> Check(CatalogDocument catalog)
    {
        var violations = new List<CatalogViolation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in catalog.Items)
        {
            if (!seen.Add(item.Code))
            {
                violations.Add(new(item.Code, "duplicate-code", $"Item {item.Code} appears twice."));
            }
            if (!ItemCode().IsMatch(item.Code))
            {
                violations.Add(new(item.Code, "code-format", "Item codes are lower-case ASCII words joined by hyphens."));
            }
            if (string.IsNullOrWhiteSpace(item.LegalBasis?.Zh) || string.IsNullOrWhiteSpace(item.LegalBasis?.En))
            {
                violations.Add(new(item.Code, "legal-basis", $"Item {item.Code} has no legal basis; nothing is collected without one."));
            }
            if (string.IsNullOrWhiteSpace(item.Name?.Zh) || string.IsNullOrWhiteSpace(item.Name?.En))
            {
                violations.Add(new(item.Code, "name", $"Item {item.Code} needs a name in Chinese and in English."));
            }
            CheckFields(item, violations);
            CheckGrades(item, violations);
        }
        return violations;
    }

    /// <summary>Checks a city catalog on top of the provincial one: it may add items, never loosen one.</summary>
    public static IReadOnlyList<CatalogViolation> CheckCity(CatalogDocument province, CatalogDocument city)
    {
        var violations = Check(city).ToList();
        var provincial = province.Items.ToDictionary(i => i.Code, StringComparer.Ordinal);
        foreach (var item in city.Items)
        {
            if (!provincial.TryGetValue(item.Code, out var baseItem))
            {
                continue;
            }
            if (item.Disclosure < baseItem.Disclosure)
            {
                violations.Add(new(item.Code, "loosens-disclosure", $"The province discloses {item.Code} as {baseItem.Disclosure}; a city cannot widen it to {item.Disclosure}."));
            }
            if (item.Polarity != baseItem.Polarity || item.Category != baseItem.Category)
            {
                violations.Add(new(item.Code, "changes-meaning", $"A city cannot change the category or polarity of {item.Code}."));
            }
            if (baseItem.Display.From == DisplayStart.OccurredOn && item.Display.From == DisplayStart.EndOfAct)
            {
                violations.Add(new(item.Code, "loosens-display", $"The province counts the display of {item.Code} from the date of the act; counting from its end would show it longer."));
            }
            if ((baseItem.Display.NeverShown ?? []).Any(c => !(item.Display.NeverShown ?? []).Any(k => k.Grade == c.Grade && k.Field == c.Field && c.Values.All(k.Values.Contains))))
            {
                violations.Add(new(item.Code, "loosens-display", $"The province never shows some records of {item.Code} (by grade and field); a city must keep those conditions."));
            }
            // Every grade either catalog names, and the ungraded rule, so adding grades cannot lengthen display either.
            foreach (var grade in baseItem.SeverityGrades.Union(item.SeverityGrades).Cast<string?>().Append(null).Distinct())
            {
                var cityMonths = item.Display.MonthsFor(grade);
                var baseMonths = baseItem.Display.MonthsFor(grade);
                if (Longer(cityMonths, baseMonths))
                {
                    violations.Add(new(item.Code, "loosens-display", $"The province shows {item.Code}{(grade is null ? "" : $" ({grade})")} for {Describe(baseMonths)}; a city cannot show it for {Describe(cityMonths)}."));
                    break; // one line per item is enough to name the problem
                }
            }
            var basePublic = baseItem.Fields.Where(f => !f.Public).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var field in item.Fields.Where(f => f.Public && basePublic.Contains(f.Name)))
            {
                violations.Add(new(item.Code, "loosens-field", $"Field {field.Name} of {item.Code} is not public in the provincial catalog; a city cannot publish it."));
            }
            foreach (var field in item.Fields.Where(f => !baseItem.Fields.Any(b => b.Name == f.Name)))
            {
                violations.Add(new(item.Code, "adds-field", $"A city cannot collect field {field.Name} under the provincial item {item.Code}; define a city item instead."));
            }
        }
        return violations;
    }

    // Null means "while valid", which is longer than any fixed period.
    private static bool Longer(int? city, int? province) => province is not null && (city is null || city > province);

    private static string Describe(int? months) => months is null ? "as long as it is valid" : $"{months} months";

    private static void CheckFields(CatalogItem item, List<CatalogViolation> violations)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in item.Fields)
        {
            if (!names.Add(field.Name))
            {
                violations.Add(new(item.Code, "duplicate-field", $"Field {field.Name} appears twice in {item.Code}."));
            }
            if (ProhibitedData.IsProhibitedFieldName(field.Name))
            {
                violations.Add(new(item.Code, "prohibited-data", $"Field {field.Name} of {item.Code} is data that may never be collected."));
            }
            if (field.Type == FieldType.Enum && (field.Values is null || field.Values.Count == 0))
            {
                violations.Add(new(item.Code, "enum-values", $"Enumeration field {field.Name} of {item.Code} lists no values."));
            }
            foreach (var labelled in (field.ValueLabels?.Keys ?? []).Where(v => field.Values?.Contains(v) != true))
            {
                violations.Add(new(item.Code, "enum-values", $"Field {field.Name} of {item.Code} labels {labelled}, which is not one of its values."));
            }
            if (field.Minimum > field.Maximum)
            {
                violations.Add(new(item.Code, "bounds", $"Field {field.Name} of {item.Code} has a minimum above its maximum."));
            }
        }
    }

    private static void CheckGrades(CatalogItem item, List<CatalogViolation> violations)
    {
        foreach (var grade in item.Display.MonthsByGrade?.Keys ?? [])
        {
            if (!item.SeverityGrades.Contains(grade))
            {
                violations.Add(new(item.Code, "unknown-grade", $"The display rule of {item.Code} names grade {grade}, which the item does not have."));
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex ItemCode();
}
