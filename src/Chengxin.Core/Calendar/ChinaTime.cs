namespace Chengxin.Calendar;

/// <summary>Dates as the platform's users live them: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991).</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    public static DateOnly Today(TimeProvider clock) => Today(clock.GetUtcNow());

    /// <summary>That time of that day in China, as a UTC instant: PostgreSQL stores instants, and Npgsql refuses any other offset.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new DateTimeOffset(day.ToDateTime(time), Offset).ToUniversalTime();
}
