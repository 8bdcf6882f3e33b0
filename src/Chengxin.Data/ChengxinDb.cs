using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Chengxin.Data;

/// <summary>The platform's one database model, the same for SQLite and PostgreSQL.</summary>
public sealed class ChengxinDb(DbContextOptions<ChengxinDb> options)
    : IdentityDbContext<PortalUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core data-protection keys, shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<OrganisationItem> OrganisationItems => Set<OrganisationItem>();
    public DbSet<CatalogVersion> CatalogVersions => Set<CatalogVersion>();
    public DbSet<CatalogEntry> CatalogEntries => Set<CatalogEntry>();
    public DbSet<Subject> Subjects => Set<Subject>();
    public DbSet<SubjectRole> SubjectRoles => Set<SubjectRole>();
    public DbSet<CreditRecord> Records => Set<CreditRecord>();
    public DbSet<RecordVersion> RecordVersions => Set<RecordVersion>();
    public DbSet<SystemClient> SystemClients => Set<SystemClient>();
    public DbSet<RecordChange> RecordChanges => Set<RecordChange>();
    public DbSet<Receiver> Receivers => Set<Receiver>();
    public DbSet<ReceiverItem> ReceiverItems => Set<ReceiverItem>();
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<Lease> Leases => Set<Lease>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();
    public DbSet<QueryRegistration> QueryRegistrations => Set<QueryRegistration>();
    public DbSet<QueryReview> QueryReviews => Set<QueryReview>();
    public DbSet<Authorisation> Authorisations => Set<Authorisation>();
    public DbSet<CreditReport> Reports => Set<CreditReport>();
    public DbSet<SecurityAlert> SecurityAlerts => Set<SecurityAlert>();
    public DbSet<BlacklistEntry> Blacklist => Set<BlacklistEntry>();
    public DbSet<UnmaskRequest> UnmaskRequests => Set<UnmaskRequest>();
    public DbSet<RateWindow> RateWindows => Set<RateWindow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        if (Database.IsSqlite())
        {
            // SQLite has no date-time-offset type that sorts; store UTC ticks, which do.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        builder.Entity<Organisation>(e =>
        {
            e.HasIndex(o => o.Code).IsUnique();
            e.Property(o => o.Code).HasMaxLength(18);
            e.Property(o => o.Kind).HasMaxLength(32);
            e.Property(o => o.Division).HasMaxLength(6);
            e.HasMany(o => o.Provides).WithOne().HasForeignKey(i => i.OrganisationId);
        });
        builder.Entity<OrganisationItem>(e =>
        {
            e.HasKey(i => new { i.OrganisationId, i.ItemCode });
            e.Property(i => i.ItemCode).HasMaxLength(64);
        });
        builder.Entity<CatalogVersion>(e =>
        {
            e.HasIndex(v => new { v.Scope, v.Version }).IsUnique();
            e.Property(v => v.Scope).HasMaxLength(6);
            e.Property(v => v.Version).HasMaxLength(32);
            e.HasMany(v => v.Items).WithOne().HasForeignKey(i => i.CatalogVersionId);
        });
        builder.Entity<CatalogEntry>(e =>
        {
            e.HasKey(i => new { i.CatalogVersionId, i.Code });
            e.Property(i => i.Code).HasMaxLength(64);
        });
        builder.Entity<Subject>(e =>
        {
            e.HasIndex(s => s.BlindIndex).IsUnique();
            e.Property(s => s.IdType).HasMaxLength(32);
            e.Property(s => s.BlindIndex).HasMaxLength(100);
            e.Property(s => s.IdNumberTail).HasMaxLength(4);
            e.Property(s => s.DivisionCode).HasMaxLength(6);
            // Not indexed: every person's row holds the same few key ids, and rotation looks for those that are not the current one.
            e.Property(s => s.KeyId).HasMaxLength(32);
        });
        builder.Entity<SubjectRole>(e =>
        {
            e.HasIndex(r => r.SubjectId);
            e.HasIndex(r => r.OrganisationCode);
            e.Property(r => r.OrganisationCode).HasMaxLength(18);
            e.Property(r => r.Role).HasMaxLength(32);
        });
        builder.Entity<CreditRecord>(e =>
        {
            e.ToTable("Records");
            e.HasIndex(r => new { r.ProviderId, r.SourceId }).IsUnique();
            e.HasIndex(r => new { r.SubjectId, r.ItemCode });
            e.Property(r => r.SourceId).HasMaxLength(128);
            e.Property(r => r.ItemCode).HasMaxLength(64);
            e.Property(r => r.CatalogVersion).HasMaxLength(32);
            e.Property(r => r.Grade).HasMaxLength(32);
            e.Property(r => r.RevocationReason).HasMaxLength(1000);
            e.Property(r => r.ContentSha256).HasMaxLength(64);
            e.HasMany(r => r.Versions).WithOne().HasForeignKey(v => v.RecordId);
        });
        builder.Entity<RateWindow>(e =>
        {
            e.HasKey(w => new { w.Key, w.Minute });
            e.Property(w => w.Key).HasMaxLength(200);
        });
        builder.Entity<RecordVersion>(e =>
        {
            e.HasKey(v => new { v.RecordId, v.Number });
            e.Property(v => v.ContentSha256).HasMaxLength(64);
        });
        builder.Entity<RecordChange>(e =>
        {
            e.HasKey(c => c.Sequence);
            e.Property(c => c.Sequence).ValueGeneratedOnAdd();
            e.Property(c => c.ItemCode).HasMaxLength(64);
            e.Property(c => c.SourceId).HasMaxLength(128);
            e.HasIndex(c => c.RecordId);
        });
        builder.Entity<Receiver>(e =>
        {
            e.HasIndex(r => r.OrganisationId).IsUnique();
            e.Property(r => r.WebhookUrl).HasMaxLength(500);
            e.Property(r => r.LastError).HasMaxLength(1000);
            e.HasMany(r => r.Items).WithOne().HasForeignKey(i => i.ReceiverId);
        });
        builder.Entity<ReceiverItem>(e =>
        {
            e.HasKey(i => new { i.ReceiverId, i.ItemCode });
            e.Property(i => i.ItemCode).HasMaxLength(64);
        });
        builder.Entity<DeadLetter>(e =>
        {
            e.HasIndex(d => d.ReceiverId);
            e.Property(d => d.LastError).HasMaxLength(1000);
        });
        builder.Entity<RecordChange>(e => e.HasIndex(c => new { c.ItemCode, c.Sequence }));
        builder.Entity<Submission>(e =>
        {
            e.HasIndex(x => new { x.ProviderId, x.ReceivedAt });
            e.HasIndex(x => x.Status);
            e.Property(x => x.ItemCode).HasMaxLength(64);
            e.Property(x => x.FileName).HasMaxLength(260);
            e.Property(x => x.Error).HasMaxLength(2000);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.HasKey(a => a.Sequence);
            // The chain assigns sequence numbers itself, under its lock.
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.Property(a => a.Actor).HasMaxLength(AuditEntry.ActorLength);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Target).HasMaxLength(AuditEntry.TargetLength);
            // For an auditor's question "what was done about this person" (revocations, unmasking): no page asks it yet, and reads
            // of a person are found through their registrations, so the entry of every read, the bulk of the log, stays out of it.
            e.HasIndex(a => a.SubjectId).HasFilter("\"SubjectId\" IS NOT NULL AND \"Action\" <> 'query'");
            // The scraping guard counts a system's misses in the last hour after each of its queries; only misses are looked up so.
            e.HasIndex(a => new { a.Actor, a.At }).HasFilter("\"Action\" = 'query.miss'");
        });
        builder.Entity<AuditCheckpoint>(e =>
        {
            e.HasKey(c => c.Sequence);
            e.Property(c => c.Sequence).ValueGeneratedNever();
            e.Property(c => c.Signature).HasMaxLength(512);
        });
        builder.Entity<QueryRegistration>(e =>
        {
            e.HasIndex(q => new { q.SubjectId, q.At });
            // The scraping guard counts a system's reads in the last hour after each of its queries.
            e.HasIndex(q => new { q.Actor, q.At });
            // Only the daily retention purge looks by time alone; rows come in time order, so on PostgreSQL a block-range index is enough.
            e.HasIndex(q => q.At).HasMethod("brin");
            e.HasIndex(q => q.AuditSequence);
            e.Property(q => q.Actor).HasMaxLength(QueryRegistration.ActorLength);
            e.Property(q => q.Channel).HasMaxLength(QueryRegistration.ChannelLength);
            e.Property(q => q.Purpose).HasMaxLength(QueryRegistration.PurposeLength);
            e.Property(q => q.Basis).HasMaxLength(QueryRegistration.BasisLength);
            e.Property(q => q.ReportNo).HasMaxLength(32);
        });
        builder.Entity<QueryReview>(e =>
        {
            e.HasIndex(r => r.RegistrationId);
            e.Property(r => r.Comment).HasMaxLength(2000);
        });
        builder.Entity<Authorisation>(e =>
        {
            e.HasIndex(a => a.SubjectId);
            e.HasIndex(a => a.SubjectIndex);
            e.HasIndex(a => a.QuerierId);
            e.Property(a => a.SubjectIndex).HasMaxLength(100);
            e.Property(a => a.Purpose).HasMaxLength(200);
            e.Property(a => a.Categories).HasMaxLength(400);
            e.Property(a => a.Channel).HasMaxLength(16);
            e.Property(a => a.EvidenceFileName).HasMaxLength(200);
            e.Property(a => a.EvidenceSha256).HasMaxLength(64);
        });
        builder.Entity<CreditReport>(e =>
        {
            // A report's stored content (about 2 KB, compressed and encrypted) stays in its row on PostgreSQL: past TOAST's
            // default 2 KB target it went out of line, a TOAST row and index entry more per report and a compression
            // attempt on ciphertext that cannot compress. Rows up to a page's 8 KB are now kept whole.
            e.HasStorageParameter("toast_tuple_target", 8160);
            // Known by its number, which grows with time: one index where an identifier and a number made two to write per report.
            // The identifier stays (the content is bound to it) without an index of its own.
            e.HasKey(r => r.ReportNo);
            e.HasIndex(r => r.VerificationCode).IsUnique();
            // The person's portal lists their own reports; an authorised querier's are found by number, so they stay out of it.
            e.HasIndex(r => new { r.SubjectId, r.IssuedAt }).HasFilter("\"Kind\" = 'self'");
            e.Property(r => r.ReportNo).HasMaxLength(32);
            e.Property(r => r.VerificationCode).HasMaxLength(32);
            e.Property(r => r.Kind).HasMaxLength(16);
            e.Property(r => r.MaskedIdentity).HasMaxLength(CreditReport.MaskedIdentityLength);
            e.Property(r => r.ContentSha256).HasMaxLength(64);
        });
        builder.Entity<SecurityAlert>(e =>
        {
            e.HasIndex(a => a.At);
            e.Property(a => a.Actor).HasMaxLength(128);
            e.Property(a => a.Kind).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(1000);
        });
        builder.Entity<BlacklistEntry>(e =>
        {
            e.HasIndex(b => new { b.Kind, b.Key });
            e.Property(b => b.Kind).HasMaxLength(16);
            e.Property(b => b.Key).HasMaxLength(256);
            e.Property(b => b.Reason).HasMaxLength(1000);
            e.Property(b => b.ListedBy).HasMaxLength(128);
        });
        builder.Entity<UnmaskRequest>(e =>
        {
            e.HasIndex(u => u.RequestedBy);
            e.Property(u => u.Reason).HasMaxLength(500);
        });
        builder.Entity<Lease>(e =>
        {
            e.HasKey(l => l.Name);
            e.Property(l => l.Name).HasMaxLength(64);
            e.Property(l => l.Holder).HasMaxLength(128);
        });
        builder.Entity<SystemClient>(e =>
        {
            e.HasKey(c => c.ClientId);
            e.Property(c => c.ClientId).HasMaxLength(64);
            e.HasIndex(c => c.OrganisationId);
        });
        builder.Entity<PortalUser>(e => e.HasIndex(u => u.SubjectId));
    }
}
