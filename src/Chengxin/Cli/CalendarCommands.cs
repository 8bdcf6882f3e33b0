using System.CommandLine;
using System.Globalization;
using Chengxin.Calendar;

namespace Chengxin.Cli;

/// <summary><c>chengxin calendar due --from DATE --working-days N</c>.</summary>
public static class CalendarCommands
{
    public static Command Create()
    {
        var from = new Option<DateOnly>("--from") { Description = "The start date (yyyy-MM-dd); it does not count.", Required = true };
        var days = new Option<int>("--working-days") { Description = "How many working days.", Required = true };
        var due = new Command("due", "Print the date N working days after DATE on the official calendar (holidays and adjusted working weekends).") { from, days };
        due.SetAction(parse =>
        {
            var count = parse.GetValue(days);
            if (count < 0)
            {
                Console.Error.WriteLine("chengxin: --working-days must be 0 or more.");
                return 2;
            }
            try
            {
                Console.WriteLine(WorkingCalendar.Official.AddWorkingDays(parse.GetValue(from), count).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return 0;
            }
            catch (CalendarMissingException e)
            {
                Console.Error.WriteLine($"chengxin: {e.Message}");
                return 1;
            }
        });
        return new Command("calendar", "The official working-day calendar.") { due };
    }
}
