using Chengxin.Catalog;
using Microsoft.Extensions.Localization;

namespace Chengxin.Reports;

/// <summary>
/// The words people read for the codes the API speaks: categories, grades, identity types, channels and the basis
/// of a query (<c>authorisation:…</c>, <c>legal:…</c>, <c>refused:…</c>), in the portal's language.
/// </summary>
public static class ReportLabels
{
    public static string Category(IStringLocalizer text, string apiName) =>
        AuthorisationService.TryParseCategory(apiName, out var category) ? text[$"Category.{category}"] : apiName;

    public static string Category(IStringLocalizer text, CatalogCategory category) => text[$"Category.{category}"];

    /// <summary>Categories by their names, joined as the portal's language lists things (、 or a comma).</summary>
    public static string Categories(IStringLocalizer text, IEnumerable<string> apiNames) => string.Join(text["List.Separator"].Value, apiNames.Select(c => Category(text, c)));

    public static string Categories(IStringLocalizer text, IEnumerable<CatalogCategory> categories) => string.Join(text["List.Separator"].Value, categories.Select(c => Category(text, c)));

    /// <summary>A record's severity grade in words; a dash for a record the catalog grades not at all, as for other empty cells.</summary>
    public static string Grade(IStringLocalizer text, string? grade) => grade is null ? "—" : Or(text[$"Grade.{grade}"], grade);

    public static string IdType(IStringLocalizer text, string code) => Or(text[$"IdType.{code}"], code);

    public static string Channel(IStringLocalizer text, string channel) => Or(text[$"Channel.{channel}"], channel);

    /// <summary>
    /// A query's purpose as the person reads it: the platform's own purposes are codes (<c>own-report</c>,
    /// <c>provider-own-record</c>…) put in words; a querier's purpose is its own words, shown as given.
    /// </summary>
    public static string Purpose(IStringLocalizer text, string purpose) => Or(text[$"Purpose.{purpose}"], purpose);

    /// <summary>The authorisation a query cited, from its basis (<c>authorisation:{id:N}</c>); null for any other basis.</summary>
    public static Guid? AuthorisationOf(string basis) =>
        basis.StartsWith("authorisation:", StringComparison.Ordinal) && Guid.TryParseExact(basis["authorisation:".Length..], "N", out var id) ? id : null;

    /// <summary>
    /// A query's basis as a sentence: the authorisation (by its whole number, written as its receipt and the API write it: the first
    /// digits of a time-ordered id are alike for every authorisation of the same minute), the provision, or why it was refused.
    /// </summary>
    /// <param name="authorisationChannel">How the cited authorisation was given (<c>portal</c>, <c>written</c>), when known: the person
    /// granted one in the portal themselves, while a written one is the paper they signed, as the querier registered it.</param>
    public static string Basis(IStringLocalizer text, string basis, string? authorisationChannel = null)
    {
        var (kind, rest) = basis.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (basis[..colon], basis[(colon + 1)..]) : (basis, "");
        return kind switch
        {
            "authorisation" => Authorisation(text, AuthorisationOf(basis)?.ToString() ?? rest, authorisationChannel),
            "legal" => text["Basis.Legal", rest],
            "refused" => text["Basis.Refused", Or(text[$"Refusal.{rest}"], rest)],
            "entitlement" => text["Basis.Entitlement"],
            "unmask" => text["Basis.Unmask"],
            _ => Or(text[$"Basis.{kind}"], basis),
        };
    }

    private static string Authorisation(IStringLocalizer text, string number, string? channel) =>
        channel is null ? text["Basis.Authorisation", number] : Or(text[$"Basis.Authorisation.{channel}", number], text["Basis.Authorisation", number]);

    /// <summary>How a query concerned a report (<c>issued</c>, <c>copy</c>, <c>refused</c>), with its number: one report read again is the same report, not a new query.</summary>
    public static string ReportRead(IStringLocalizer text, string? kind, string reportNo) =>
        text[kind switch { "copy" => "Queries.ReportCopy", "refused" => "Queries.ReportRefused", _ => "Queries.ReportIssued" }, reportNo];

    // A key the resources do not have comes back as itself: show the code rather than the key.
    private static string Or(LocalizedString found, string fallback) => found.ResourceNotFound ? fallback : found.Value;
}
