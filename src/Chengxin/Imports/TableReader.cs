using System.Data;
using System.Text;
using ExcelDataReader;
using Sylvan.Data.Csv;

namespace Chengxin.Imports;

/// <summary>A file the importer cannot read at all: the reason is said in one line, and nothing is imported.</summary>
public sealed class ImportFileException(string message) : Exception(message);

/// <summary>
/// Reads a CSV (UTF-8, with or without BOM, UTF-16 with BOM, or GB18030 as Chinese offices export) or
/// an XLSX file row by row, in constant memory: a header row, then cells as text or typed values.
/// </summary>
public sealed class TableReader : IDisposable
{
    private readonly IDataReader _reader;
    private readonly IDisposable[] _owned;

    static TableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private TableReader(IDataReader reader, string[] header, string encoding, params IDisposable[] owned)
    {
        _reader = reader;
        Header = header;
        EncodingName = encoding;
        _owned = owned;
    }

    public IReadOnlyList<string> Header { get; }

    /// <summary>The character a byte sequence that is not in the file's encoding decodes to.</summary>
    public const char Undecodable = '\uFFFD';

    public string EncodingName { get; }

    /// <summary>The 1-based row number as a spreadsheet shows it (the header is row 1).</summary>
    public int RowNumber { get; private set; } = 1;

    public static TableReader Open(Stream stream, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        return extension switch
        {
            ".CSV" or ".TXT" => OpenCsv(stream),
            ".XLSX" => OpenXlsx(stream),
            ".XLS" => throw new ImportFileException("Old Excel files (.xls) are not accepted; save the sheet as .xlsx or .csv."),
            _ => throw new ImportFileException($"'{extension}' files are not accepted; send a .csv or .xlsx file."),
        };
    }

    public bool Read()
    {
        while (_reader.Read())
        {
            RowNumber++;
            if (!ReadCells())
            {
                return true;
            }
        }
        return false;
    }

    // The current row's cells, each read once: the importer asks for some of them more than once.
    private object?[] _cells = [];

    /// <summary>The cell of a column in the current row: text, a number, a date, or null when empty.</summary>
    public object? Value(int column) => column < _cells.Length ? _cells[column] : null;

    /// <summary>Reads the current row's cells; true when all of them are empty.</summary>
    private bool ReadCells()
    {
        var count = _reader.FieldCount;
        if (_cells.Length != count)
        {
            _cells = new object?[count];
        }
        var blank = true;
        for (var i = 0; i < count; i++)
        {
            var value = _reader.IsDBNull(i) ? null : _reader.GetValue(i);
            _cells[i] = value is string text ? (string.IsNullOrWhiteSpace(text) ? null : text.Trim()) : value;
            blank &= _cells[i] is null;
        }
        return blank;
    }

    private static TableReader OpenCsv(Stream stream)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        var encoding = DetectEncoding(buffered);
        var text = new StreamReader(buffered, encoding, detectEncodingFromByteOrderMarks: true);
        if (text.Peek() < 0)
        {
            throw new ImportFileException("The file is empty: it needs a header row and at least one record.");
        }
        CsvDataReader reader;
        try
        {
            reader = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',' });
        }
        catch (CsvFormatException e)
        {
            throw new ImportFileException($"The header row cannot be read as CSV: {e.Message}");
        }
        var header = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i).Trim().TrimStart('\uFEFF')).ToArray();
        return new TableReader(reader, header, encoding.WebName, reader, text);
    }

    /// <summary>
    /// A byte-order mark decides; otherwise the first 64 KiB are tried as strict UTF-8 (a sequence cut at the
    /// end is allowed), and anything that is not UTF-8 is read as GB18030, the superset of GBK and GB2312.
    /// Bytes that still do not decode become U+FFFD, and the importer rejects their row, naming it.
    /// </summary>
    private static Encoding DetectEncoding(BufferedStream stream)
    {
        var sample = new byte[65536];
        var read = stream.Read(sample, 0, sample.Length);
        stream.Seek(-read, SeekOrigin.Current);
        var bytes = sample.AsSpan(0, read);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
        }
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            var chars = new char[read + 1];
            decoder.Convert(bytes, chars, flush: read < sample.Length, out _, out _, out _);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030");
        }
    }

    private static TableReader OpenXlsx(Stream stream)
    {
        IExcelDataReader reader;
        try
        {
            reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ExcelDataReader.Exceptions.HeaderException or System.Xml.XmlException)
        {
            throw new ImportFileException($"The file is not a readable .xlsx workbook (damaged or truncated?): {e.Message}");
        }
        if (!reader.Read())
        {
            reader.Dispose();
            throw new ImportFileException("The workbook's first sheet is empty: it needs a header row and at least one record.");
        }
        var header = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString()?.Trim() ?? "").ToArray();
        return new TableReader(reader, header, "xlsx", reader);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
