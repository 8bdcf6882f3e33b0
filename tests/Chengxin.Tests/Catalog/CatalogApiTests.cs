using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Tests.Infrastructure;

namespace Chengxin.Tests.Catalog;

public abstract class CatalogApiTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private static readonly string[] ExchangeItemCodes =
    [
        "admin-penalty", "admin-licence", "dishonest-judgment-debtor", "consumption-restriction", "major-tax-violation",
        "serious-traffic-violation", "exam-cheating", "academic-misconduct", "student-loan-default", "wage-arrears",
        "volunteer-service", "honour", "charitable-donation", "professional-qualification", "professional-discipline",
        "credit-commitment",
    ];

    private static readonly string[] Categories =
    [
        "registration", "judicial", "administrative", "qualification", "abnormal-list", "serious-list",
        "contract-performance", "commitment", "evaluation", "honour", "voluntary",
    ];

    private TestPlatform Platform => fixture.Platform;

    private async Task<JsonElement[]> ItemsAsync()
    {
        var listing = await Platform.Http.GetFromJsonAsync<JsonElement>("/api/v1/catalog");
        return [.. listing.GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task CatalogListsEveryItemCodeOfTheExchangeSpecification()
    {
        var codes = (await ItemsAsync()).Select(i => i.GetProperty("code").GetString()).ToHashSet();
        Assert.All(ExchangeItemCodes, code => Assert.Contains(code, codes));
    }

    [Fact]
    public async Task CatalogCoversTheElevenNationalCategories()
    {
        var categories = (await ItemsAsync()).Select(i => i.GetProperty("category").GetString()).ToHashSet();
        Assert.Equal(Categories.Order(), categories.Order());
    }

    [Fact]
    public async Task EveryItemInForceHasALegalBasisAndTypedFields()
    {
        foreach (var item in await ItemsAsync())
        {
            Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("legalBasis").GetString()), item.GetProperty("code").GetString());
            Assert.Contains(item.GetProperty("polarity").GetString(), new[] { "positive", "negative", "neutral" });
            Assert.Contains(item.GetProperty("disclosure").GetString(), new[] { "public", "authorised", "government" });
            Assert.All(item.GetProperty("fields").EnumerateArray(), f =>
            {
                Assert.False(string.IsNullOrEmpty(f.GetProperty("name").GetString()));
                Assert.Equal(JsonValueKind.String, f.GetProperty("type").ValueKind);
                Assert.True(f.GetProperty("required").ValueKind is JsonValueKind.True or JsonValueKind.False);
                Assert.True(f.GetProperty("public").ValueKind is JsonValueKind.True or JsonValueKind.False);
            });
        }
    }

    [Fact]
    public async Task AdministrativePenaltiesAreShownByGradeAsTheNationalRulesSay()
    {
        var penalty = await Platform.Http.GetFromJsonAsync<JsonElement>("/api/v1/catalog/admin-penalty");
        var byGrade = penalty.GetProperty("displayRule").GetProperty("monthsByGrade");
        Assert.True(byGrade.GetProperty("minor").GetInt32() <= 3);
        Assert.InRange(byGrade.GetProperty("general").GetInt32(), 3, 12);
        Assert.InRange(byGrade.GetProperty("serious").GetInt32(), 12, 36);
    }

    [Fact]
    public async Task CityItemsAppearBesideTheProvincialOnes()
    {
        var scopes = (await ItemsAsync()).Select(i => i.GetProperty("scope").GetString()).ToHashSet();
        Assert.Contains("430000", scopes);
        Assert.Contains("430100", scopes);
    }

    [Fact]
    public async Task AnUnknownItemIsProblemDetailsNotFound()
    {
        var response = await Platform.Http.GetAsync("/api/v1/catalog/no-such-item");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class CatalogApiOnSqlite(SqlitePlatform fixture) : CatalogApiTests<SqlitePlatform>(fixture);

public sealed class CatalogApiOnPostgres(PostgresPlatform fixture) : CatalogApiTests<PostgresPlatform>(fixture);
