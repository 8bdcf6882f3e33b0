namespace Chengxin.Calendar;

/// <summary>Dates as the platform's users live them: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991).</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    public static DateOnly Today(TimeProvider clock) => Today(clock.GetUtcNow());
}
