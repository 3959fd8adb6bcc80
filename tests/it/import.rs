//! `cloudready import` from the exports agencies already have: RVTools, Azure Migrate, the AWS
//! Migration Hub template, ServiceNow and Konveyor. Each fixture is built here with the column
//! list of the source's current version (where each list comes from is noted beside it); every
//! import must give an inventory that `validate` passes, with the mapped values asserted.

use crate::common::*;

use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

/// RVTools 4.7 `vInfo`: its 93 columns in order, as in an RVTools 4.7 export (the column list of
/// the reference export in github.com/Yoobuu/Kylow, vmware_rvtools_exporter/out/compare/report.md:
/// "headers: reference=93").
const RVTOOLS_VINFO: &[&str] = &[
    "VM",
    "Powerstate",
    "Template",
    "SRM Placeholder",
    "Config status",
    "DNS Name",
    "Connection state",
    "Guest state",
    "Heartbeat",
    "Consolidation Needed",
    "PowerOn",
    "Suspended To Memory",
    "Suspend time",
    "Suspend Interval",
    "Creation date",
    "Change Version",
    "CPUs",
    "Overall Cpu Readiness",
    "Memory",
    "Active Memory",
    "NICs",
    "Disks",
    "Total disk capacity MiB",
    "Fixed Passthru HotPlug",
    "min Required EVC Mode Key",
    "Latency Sensitivity",
    "Op Notification Timeout",
    "EnableUUID",
    "CBT",
    "Primary IP Address",
    "Network #1",
    "Network #2",
    "Network #3",
    "Network #4",
    "Network #5",
    "Network #6",
    "Network #7",
    "Network #8",
    "Num Monitors",
    "Video Ram KiB",
    "Resource pool",
    "Folder ID",
    "Folder",
    "vApp",
    "DAS protection",
    "FT State",
    "FT Role",
    "FT Latency",
    "FT Bandwidth",
    "FT Sec. Latency",
    "Vm Failover In Progress",
    "Provisioned MiB",
    "In Use MiB",
    "Unshared MiB",
    "HA Restart Priority",
    "HA Isolation Response",
    "HA VM Monitoring",
    "Cluster rule(s)",
    "Cluster rule name(s)",
    "Boot Required",
    "Boot delay",
    "Boot retry delay",
    "Boot retry enabled",
    "Boot BIOS setup",
    "Reboot PowerOff",
    "EFI Secure boot",
    "Firmware",
    "HW version",
    "HW upgrade status",
    "HW upgrade policy",
    "HW target",
    "Path",
    "Log directory",
    "Snapshot directory",
    "Suspend directory",
    "Annotation",
    "Backup status",
    "ClusterInvariantVMMId",
    "Last backup",
    "Datacenter",
    "Cluster",
    "Host",
    "OS according to the configuration file",
    "OS according to the VMware Tools",
    "Customization Info",
    "Guest Detailed Data",
    "VM ID",
    "SMBIOS UUID",
    "VM UUID",
    "VI SDK Server type",
    "VI SDK API Version",
    "VI SDK Server",
    "VI SDK UUID",
];

/// Azure Migrate's CSV import template: the columns of the template the portal offers under
/// "Import using CSV" (required ones starred), as github.com/lrivallain/rvtools2azmigrate writes
/// them (rvtools2azmigrate/azmigrate_vm.py).
const AZURE_CSV: &[&str] = &[
    "*Server Name",
    "IP addresses",
    "*Cores",
    "*Memory (In MB)",
    "*OS name",
    "OS version",
    "OS architecture",
    "CPU utilization percentage",
    "Memory utilization percentage",
    "Network adapters",
    "Network In throughput",
    "Network Out throughput",
    "Boot type",
    "Number of disks",
    "Disk 1 size (In GB)",
    "Disk 1 read throughput (MB per second)",
    "Disk 1 write throughput (MB per second)",
    "Disk 1 read ops (operations per second)",
    "Disk 1 write ops (operations per second)",
    "Disk 2 size (In GB)",
    "Disk 2 read throughput (MB per second)",
    "Disk 2 write throughput (MB per second)",
    "Disk 2 read ops (operations per second)",
    "Disk 2 write ops (operations per second)",
];

/// Azure Migrate's discovered-servers workbook: the `Discovery_Report` sheet (after a
/// `Properties` sheet). The machine columns named in issue #24 (`Machine Name`, `Operating
/// System`, `Cores`, `Memory (in MB)`) and the other columns of the portal's export; no public
/// copy of the full current column list was found, so the columns beyond those are a subset.
const AZURE_DISCOVERY: &[&str] = &[
    "Machine Name",
    "Server type",
    "Operating System",
    "Operating system version",
    "Cores",
    "Memory (in MB)",
    "Storage (in GB)",
    "Number of disks",
    "Power Status",
    "IP Address",
    "FQDN",
    "Boot type",
    "Appliance Name",
    "Tags",
];

/// AWS Migration Hub import template (AWS Application Discovery Service user guide, "Migration
/// Hub import", supported import file fields; docs.aws.amazon.com/application-discovery/latest/
/// userguide/discovery-import.html).
const AWS_TEMPLATE: &[&str] = &[
    "ExternalId",
    "SMBiosId",
    "IPAddress",
    "MACAddress",
    "HostName",
    "VMware.MoRefId",
    "VMware.VCenterId",
    "CPU.NumberOfProcessors",
    "CPU.NumberOfCores",
    "CPU.NumberOfLogicalCores",
    "OS.Name",
    "OS.Version",
    "VMware.VMName",
    "RAM.TotalSizeInMB",
    "RAM.UsedSizeAverageInMB",
    "RAM.UsedSizeMaxInMB",
    "CPU.UsagePctAverage",
    "CPU.UsagePctMax",
    "DiskReadsPerSecondInKB.Avg",
    "DiskWritesPerSecondInKB.Avg",
    "DiskReadsPerSecondInKB.Max",
    "DiskWritesPerSecondInKB.Max",
    "DiskReadsOpsPerSecond.Avg",
    "DiskWritesOpsPerSecond.Avg",
    "DiskReadsOpsPerSecond.Max",
    "DiskWritesOpsPerSecond.Max",
    "NetworkReadsPerSecondInKB.Avg",
    "NetworkWritesPerSecondInKB.Avg",
    "NetworkReadsPerSecondInKB.Max",
    "NetworkWritesPerSecondInKB.Max",
    "Applications",
    "ApplicationWave",
    "Tags",
];

/// ServiceNow business applications (cmdb_ci_business_app) list export, with the form's labels
/// (ServiceNow docs, Enterprise Architecture Workspace, "Business application form"; the
/// labels named in issue #24).
const SN_BUSINESS_APP: &[&str] = &[
    "Number",
    "Name",
    "Short description",
    "Business process",
    "Application type",
    "Install type",
    "User base",
    "IT application owner",
    "Business owner",
    "Business criticality",
    "Data classification",
    "Lifecycle stage",
    "Operational status",
    "Architecture type",
    "Platform",
    "Planned disposition",
    "Migration Strategy",
];

/// ServiceNow cmdb_ci_server exported with field names (the table's columns named in issue #24:
/// `sys_id`, `os`, `disk_space`, `classification`, and the server class's common fields).
const SN_SERVER: &[&str] = &[
    "sys_id",
    "name",
    "short_description",
    "os",
    "os_version",
    "os_service_pack",
    "cpu_count",
    "ram",
    "disk_space",
    "ip_address",
    "fqdn",
    "classification",
    "used_for",
    "virtual",
    "location",
    "install_status",
    "operational_status",
    "owned_by",
    "support_group",
];

/// Konveyor's application import CSV: the template the Konveyor UI ships
/// (github.com/konveyor/tackle2-ui, client/public/template_application_import.csv).
fn konveyor_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "Record Type 1",
        "Application Name",
        "Description",
        "Comments",
        "Business Service",
        "Dependency",
        "Dependency Direction",
        "Binary Group",
        "Binary Artifact",
        "Binary Version",
        "Binary Packaging",
        "Repository Type",
        "Repository URL",
        "Repository Branch",
        "Repository Path",
    ]
    .map(String::from)
    .to_vec();
    for n in 1..=20 {
        h.push(format!("Tag Category {n}"));
        h.push(format!("Tag {n}"));
    }
    h
}

/// A row under `header`: the named cells set, the rest empty.
fn row(header: &[&str], cells: &[(&str, &str)]) -> Vec<String> {
    header
        .iter()
        .map(|h| {
            cells
                .iter()
                .find(|(k, _)| k == h)
                .map_or(String::new(), |(_, v)| v.to_string())
        })
        .collect()
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
        + "\n"
}

fn write_csv(dir: &Path, name: &str, header: &[&str], rows: &[Vec<String>]) -> PathBuf {
    let mut text = csv_line(&header.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    for r in rows {
        text.push_str(&csv_line(r));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A sheet: name, hidden, rows of text (a cell starting `=` is a formula with no saved value).
type SheetSpec<'a> = (&'a str, bool, Vec<Vec<String>>);

fn write_xlsx(dir: &Path, name: &str, sheets: &[SheetSpec]) -> PathBuf {
    let mut book = Workbook::new();
    let any_hidden = sheets.iter().any(|s| s.1);
    let mut active = false;
    for (sheet_name, hidden, rows) in sheets {
        let ws = book.add_worksheet().set_name(*sheet_name).unwrap();
        // Excel (and rust_xlsxwriter) never hide the active sheet: make a visible one active.
        if any_hidden && !*hidden && !active {
            ws.set_active(true);
            active = true;
        }
        ws.set_formula_result_default("");
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let (r, c) = (r as u32, c as u16);
                if let Some(f) = v.strip_prefix('=') {
                    ws.write_formula(r, c, f).unwrap();
                } else if let Ok(n) = v.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else {
                    ws.write_string(r, c, v).unwrap();
                }
            }
        }
        if *hidden {
            ws.set_hidden(true);
        }
    }
    let p = dir.join(name);
    book.save(&p).unwrap();
    p
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Imports `file` with `args`, checks that the result validates, and returns its YAML and the
/// run's standard error.
fn import(dir: &Path, file: &Path, args: &[&str]) -> (String, String) {
    let out = dir.join(format!(
        "{}.yaml",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let mut all = vec![
        "import".to_string(),
        file.display().to_string(),
        "-o".into(),
        out.display().to_string(),
        "--force".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    let r = cmd(&all).code(0).run();
    cmd(&["validate", &out.display().to_string()]).code(0).run();
    (std::fs::read_to_string(&out).unwrap(), r.stderr)
}

/// The parsed workloads of an imported file, as JSON, by id.
fn workloads(dir: &Path, yaml: &str) -> serde_json::Value {
    let p = dir.join("check.yaml");
    std::fs::write(&p, yaml).unwrap();
    json(&["assess", &p.display().to_string(), "--format", "json"])
}

fn field<'a>(yaml: &'a str, id: &str, key: &str) -> Option<&'a str> {
    let start = yaml.find(&format!("  - id: {id}\n"))?;
    let rest = &yaml[start + 1..];
    let end = rest.find("\n  - id: ").unwrap_or(rest.len());
    rest[..end]
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
}

#[test]
fn the_fixture_column_lists_are_the_sources_own() {
    assert_eq!(RVTOOLS_VINFO.len(), 93, "RVTools 4.7 vInfo has 93 columns");
    assert_eq!(konveyor_header().len(), 55);
}

#[test]
fn rvtools_vinfo_in_a_workbook_imports_one_workload_per_vm() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![
        strs(RVTOOLS_VINFO),
        row(
            RVTOOLS_VINFO,
            &[
                ("VM", "APP01"),
                ("Powerstate", "poweredOn"),
                ("Template", "False"),
                ("In Use MiB", "40960"),
                ("Annotation", "Payroll application server"),
                ("Datacenter", "Canberra DC1"),
                ("Cluster", "Prod"),
                ("Folder", "Payroll"),
                (
                    "OS according to the configuration file",
                    "Microsoft Windows Server 2016 or later (64-bit)",
                ),
                (
                    "OS according to the VMware Tools",
                    "Microsoft Windows Server 2012 R2 (64-bit)",
                ),
            ],
        ),
        row(
            RVTOOLS_VINFO,
            &[
                ("VM", "app01"),
                ("Powerstate", "poweredOff"),
                ("Template", "False"),
                ("In Use MiB", "1024"),
                ("Datacenter", "Canberra DC1"),
                ("Cluster", "Prod"),
                ("Folder", "Payroll"),
                (
                    "OS according to the configuration file",
                    "Red Hat Enterprise Linux 8 (64-bit)",
                ),
            ],
        ),
        row(
            RVTOOLS_VINFO,
            &[
                ("VM", "TPL-W2019"),
                ("Powerstate", "poweredOff"),
                ("Template", "True"),
                ("In Use MiB", "2048"),
                ("Datacenter", "Canberra DC1"),
                ("Cluster", "Prod"),
                (
                    "OS according to the configuration file",
                    "Microsoft Windows Server 2019 (64-bit)",
                ),
            ],
        ),
    ];
    let x = write_xlsx(
        d.path(),
        "RVTools_export_all.xlsx",
        &[("vInfo", false, rows)],
    );
    let (y, err) = import(
        d.path(),
        &x,
        &["--hosting", "on-premises", "--agency", "Example Affairs"],
    );
    assert!(
        y.starts_with("# Imported by cloudready from RVTools vInfo"),
        "{y}"
    );
    let first = y.lines().next().unwrap();
    for col in [
        "`VM`",
        "`In Use MiB`",
        "`Annotation`",
        "`Datacenter`",
        "`Cluster`",
        "`OS according to the VMware Tools`",
        "--hosting",
    ] {
        assert!(first.contains(col), "first line names {col}: {first}");
    }
    assert_eq!(field(&y, "app01", "name"), Some("APP01"));
    assert_eq!(field(&y, "app01", "hosting"), Some("on-premises"));
    assert_eq!(field(&y, "app01", "volume_gb"), Some("40"));
    assert_eq!(
        field(&y, "app01", "description"),
        Some("Payroll application server")
    );
    // The Tools' precise name wins over the configuration's "2016 or later".
    assert_eq!(field(&y, "app01", "end_of_support"), Some("2023-10-10"));
    assert_eq!(
        field(&y, "app01", "tags"),
        Some("[cluster-prod, dc-canberra-dc1, os-windows, vmware]")
    );
    // The clash is resolved and reported, in the file and on standard error.
    assert_eq!(field(&y, "app01-2", "name"), Some("app01"));
    assert_eq!(field(&y, "app01-2", "end_of_support"), Some("2029-05-31"));
    assert!(
        err.contains("both make the id `app01`: this one is `app01-2`"),
        "{err}"
    );
    assert!(
        field(&y, "app01-2", "tags")
            .unwrap()
            .contains("powered-off")
    );
    assert!(field(&y, "tpl-w2019", "tags").unwrap().contains("template"));
    assert!(y.contains(
        "# note: current.end_of_support is the operating system's, not the application's"
    ));
    // What a person must supply, beside every workload; never a classification.
    assert_eq!(
        y.matches("    # to supply (no export holds these):")
            .count(),
        3
    );
    assert!(y.contains("#   classification (PSPF"));
    assert!(!y.contains("classification: "), "{y}");
    // assess shows the facts as unknown, with low confidence.
    let v = workloads(d.path(), &y);
    for w in v["workloads"].as_array().unwrap() {
        assert!(w["confidence"].as_f64().unwrap() < 0.5, "{w}");
        assert_eq!(w["band"], "unknown");
    }
}

#[test]
fn rvtools_vinfo_as_csv_and_group_by_folder() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![
        row(
            RVTOOLS_VINFO,
            &[
                ("VM", "PAY-WEB"),
                ("Powerstate", "poweredOn"),
                ("Template", "False"),
                ("In Use MiB", "10240"),
                ("Folder", "Payroll"),
                (
                    "OS according to the VMware Tools",
                    "Red Hat Enterprise Linux 9 (64-bit)",
                ),
            ],
        ),
        row(
            RVTOOLS_VINFO,
            &[
                ("VM", "PAY-DB"),
                ("Powerstate", "poweredOn"),
                ("Template", "False"),
                ("In Use MiB", "20480"),
                ("Folder", "Payroll"),
                (
                    "OS according to the VMware Tools",
                    "Microsoft Windows Server 2012 R2 (64-bit)",
                ),
            ],
        ),
        row(
            RVTOOLS_VINFO,
            &[
                ("VM", "LONE"),
                ("Powerstate", "poweredOn"),
                ("Template", "False"),
                ("In Use MiB", "1024"),
            ],
        ),
    ];
    let c = write_csv(d.path(), "vInfo.csv", RVTOOLS_VINFO, &rows);
    let (y, _) = import(d.path(), &c, &["--group-by", "folder"]);
    // Two machines merge; disk sums (10 + 20 GB); the oldest operating system dates the group.
    assert_eq!(field(&y, "payroll", "name"), Some("Payroll"));
    assert_eq!(field(&y, "payroll", "volume_gb"), Some("30"));
    assert_eq!(field(&y, "payroll", "end_of_support"), Some("2023-10-10"));
    assert!(field(&y, "payroll", "tags").unwrap().contains("os-linux"));
    assert!(field(&y, "payroll", "tags").unwrap().contains("os-windows"));
    assert!(y.contains("2 machines whose `Folder` is `Payroll`: PAY-WEB, PAY-DB"));
    assert_eq!(field(&y, "lone", "name"), Some("LONE"));
    assert!(
        y.lines()
            .next()
            .unwrap()
            .contains("one workload per `Folder` value")
    );
    let r = cmd(&["import", &c.display().to_string(), "--group-by", "Foldr"])
        .code(2)
        .run();
    assert!(r.stderr.contains("did you mean `Folder`?"), "{}", r.stderr);
}

#[test]
fn azure_migrate_workbook_is_read_from_its_discovery_report_sheet() {
    let d = tempfile::tempdir().unwrap();
    let props = vec![
        strs(&["Property", "Value"]),
        strs(&["Project", "contoso-migrate"]),
    ];
    let rows = vec![
        strs(AZURE_DISCOVERY),
        row(
            AZURE_DISCOVERY,
            &[
                ("Machine Name", "WEB-01"),
                (
                    "Operating System",
                    "Microsoft Windows Server 2019 Datacenter",
                ),
                ("Cores", "4"),
                ("Memory (in MB)", "8192"),
                ("Storage (in GB)", "120"),
            ],
        ),
    ];
    let x = write_xlsx(
        d.path(),
        "AzureMigrate.xlsx",
        &[
            ("Properties", false, props.clone()),
            ("Discovery_Report", false, rows.clone()),
        ],
    );
    let (y, _) = import(d.path(), &x, &[]);
    assert!(y.lines().next().unwrap().contains("sheet Discovery_Report"));
    assert_eq!(field(&y, "web-01", "name"), Some("WEB-01"));
    assert_eq!(field(&y, "web-01", "volume_gb"), Some("120"));
    assert_eq!(field(&y, "web-01", "end_of_support"), Some("2029-01-09"));
    // --sheet names a sheet in any case; a missing one lists the sheets there are.
    let (y2, _) = import(d.path(), &x, &["--sheet", "discovery_report"]);
    assert_eq!(
        y2.lines().skip(1).collect::<Vec<_>>(),
        y.lines().skip(1).collect::<Vec<_>>()
    );
    let r = cmd(&["import", &x.display().to_string(), "--sheet", "Servers"])
        .code(2)
        .run();
    assert!(
        r.stderr
            .contains("it has no sheet `Servers`; its sheets are `Properties`, `Discovery_Report`"),
        "{}",
        r.stderr
    );
    // A hidden copy of the sheet is not preferred over the visible one.
    let mut hidden_rows = rows.clone();
    hidden_rows[1][0] = "HIDDEN-01".into();
    let x2 = write_xlsx(
        d.path(),
        "AzureMigrate2.xlsx",
        &[
            ("Old", true, hidden_rows),
            ("Discovery_Report", false, rows),
        ],
    );
    let (y3, _) = import(d.path(), &x2, &[]);
    assert!(
        y3.contains("name: WEB-01") && !y3.contains("HIDDEN-01"),
        "{y3}"
    );
}

#[test]
fn azure_migrate_csv_template_imports() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![row(
        AZURE_CSV,
        &[
            ("*Server Name", "FILESRV"),
            ("*Cores", "2"),
            ("*Memory (In MB)", "4096"),
            ("*OS name", "Ubuntu 20.04 LTS"),
            ("Disk 1 size (In GB)", "500"),
        ],
    )];
    let c = write_csv(d.path(), "azure-import.csv", AZURE_CSV, &rows);
    let (y, _) = import(d.path(), &c, &[]);
    assert!(y.starts_with("# Imported by cloudready from Azure Migrate CSV import"));
    assert_eq!(field(&y, "filesrv", "end_of_support"), Some("2025-05-31"));
    assert_eq!(field(&y, "filesrv", "volume_gb"), Some("500"));
    assert!(field(&y, "filesrv", "tags").unwrap().contains("os-linux"));
}

#[test]
fn aws_migration_hub_template_imports_and_groups_by_application() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![
        row(
            AWS_TEMPLATE,
            &[
                ("ExternalId", "1"),
                ("HostName", "crm-app-1"),
                ("OS.Name", "Red Hat Enterprise Linux"),
                ("OS.Version", "7.9"),
                ("RAM.TotalSizeInMB", "8192"),
                ("Applications", "CRM"),
                ("ApplicationWave", "2"),
                ("Tags", "env:prod,owner:sales"),
            ],
        ),
        row(
            AWS_TEMPLATE,
            &[
                ("ExternalId", "2"),
                ("HostName", "crm-db-1"),
                ("OS.Name", "Windows Server 2016"),
                ("RAM.TotalSizeInMB", "16384"),
                ("Applications", "CRM"),
            ],
        ),
    ];
    let c = write_csv(d.path(), "aws.csv", AWS_TEMPLATE, &rows);
    let (y, _) = import(d.path(), &c, &[]);
    assert_eq!(field(&y, "crm-app-1", "end_of_support"), Some("2024-06-30"));
    assert!(field(&y, "crm-app-1", "tags").unwrap().contains("env-prod"));
    assert!(
        y.contains("`ApplicationWave` is `2`"),
        "the source's wave is a note, not cloudready's plan"
    );
    assert!(!y.contains("wave: "));
    let (g, _) = import(d.path(), &c, &["--group-by", "Applications"]);
    assert_eq!(field(&g, "crm", "end_of_support"), Some("2024-06-30"));
    assert_eq!(g.matches("  - id: ").count(), 1);
}

#[test]
fn servicenow_business_applications_map_values_and_never_infer_classification() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![
        row(
            SN_BUSINESS_APP,
            &[
                ("Number", "APM0001"),
                ("Name", "Grants Portal"),
                ("Application type", "COTS"),
                ("Install type", "On-Premises"),
                ("User base", "1000-5000"),
                ("IT application owner", "Jo Citizen"),
                ("Business criticality", "1 - most critical"),
                ("Data classification", "Highly Sensitive"),
                ("Migration Strategy", "Rehost"),
            ],
        ),
        row(
            SN_BUSINESS_APP,
            &[
                ("Number", "APM0002"),
                ("Name", "Rostering"),
                ("Application type", "SaaS"),
                ("Install type", "Cloud"),
                ("Business criticality", "3 - less critical"),
                ("Data classification", "Confidential"),
            ],
        ),
        row(
            SN_BUSINESS_APP,
            &[
                ("Number", "APM0003"),
                ("Name", "Case Tracker"),
                ("Application type", "Homegrown"),
                ("Install type", "Hybrid"),
            ],
        ),
    ];
    let x = write_xlsx(
        d.path(),
        "cmdb_ci_business_app.xlsx",
        &[(
            "Page 1",
            false,
            std::iter::once(strs(SN_BUSINESS_APP)).chain(rows).collect(),
        )],
    );
    let (y, _) = import(d.path(), &x, &[]);
    assert_eq!(field(&y, "grants-portal", "criticality"), Some("critical"));
    assert_eq!(field(&y, "grants-portal", "style"), Some("cots"));
    assert_eq!(field(&y, "grants-portal", "hosting"), Some("on-premises"));
    assert_eq!(field(&y, "grants-portal", "strategy"), Some("rehost"));
    assert_eq!(field(&y, "grants-portal", "owner"), Some("Jo Citizen"));
    assert_eq!(field(&y, "rostering", "style"), Some("saas"));
    assert_eq!(field(&y, "rostering", "criticality"), Some("medium"));
    // "Cloud" and "Hybrid" do not say which hosting: unknown, with a note.
    assert_eq!(field(&y, "rostering", "hosting"), None);
    assert!(
        y.contains("`Install type` is `Cloud`, which does not say which `current.hosting` it is")
    );
    assert_eq!(field(&y, "case-tracker", "hosting"), None);
    assert_eq!(field(&y, "case-tracker", "style"), None);
    // ServiceNow's own scheme is kept as a note; classification is never set.
    assert!(y.contains("`Data classification` is `Highly Sensitive`"));
    assert!(!y.contains("classification: "), "{y}");
    let v = workloads(d.path(), &y);
    for w in v["workloads"].as_array().unwrap() {
        let p1 = &w["principles"][0]["criteria"];
        let c = p1
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "P1.classification")
            .unwrap();
        assert!(c["answer"].is_null(), "{c}");
    }
}

#[test]
fn servicenow_servers_keep_production_out_of_classification() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![row(
        SN_SERVER,
        &[
            ("sys_id", "6b0e1a2f"),
            ("name", "SRV-PAY-01"),
            ("os", "Windows 2019 Standard"),
            ("os_version", "10.0.17763"),
            ("disk_space", "250"),
            ("classification", "Production"),
            ("short_description", "Payroll server"),
        ],
    )];
    let c = write_csv(d.path(), "cmdb_ci_server.csv", SN_SERVER, &rows);
    let (y, _) = import(d.path(), &c, &["--hosting", "government-data-centre"]);
    assert_eq!(
        field(&y, "srv-pay-01", "end_of_support"),
        Some("2029-01-09")
    );
    assert_eq!(field(&y, "srv-pay-01", "volume_gb"), Some("250"));
    assert_eq!(
        field(&y, "srv-pay-01", "hosting"),
        Some("government-data-centre")
    );
    assert!(y.contains("`classification` is `Production`"));
    assert!(!y.contains("    classification: "));
}

#[test]
fn konveyor_applications_with_dependencies_and_tags() {
    let d = tempfile::tempdir().unwrap();
    let h = konveyor_header();
    let hr: Vec<&str> = h.iter().map(String::as_str).collect();
    let rows = vec![
        row(
            &hr,
            &[
                ("Record Type 1", "1"),
                ("Application Name", "Customers"),
                ("Description", "Legacy customers service"),
                ("Business Service", "Retail"),
                ("Tag Category 1", "Operating System"),
                ("Tag 1", "RHEL 8"),
            ],
        ),
        row(
            &hr,
            &[
                ("Record Type 1", "1"),
                ("Application Name", "Gateway"),
                ("Business Service", "Retail"),
            ],
        ),
        row(
            &hr,
            &[
                ("Record Type 1", "2"),
                ("Application Name", "Gateway"),
                ("Dependency", "Customers"),
                ("Dependency Direction", "southbound"),
            ],
        ),
    ];
    let c = write_csv(d.path(), "konveyor.csv", &hr, &rows);
    let (y, _) = import(d.path(), &c, &[]);
    assert_eq!(field(&y, "customers", "owner"), Some("Retail"));
    assert_eq!(
        field(&y, "customers", "tags"),
        Some("[operating-system-rhel-8]")
    );
    assert_eq!(field(&y, "gateway", "dependencies"), Some("[customers]"));
    assert_eq!(y.matches("  - id: ").count(), 2);
}

#[test]
fn a_title_row_above_the_header_is_skipped_with_a_note() {
    let d = tempfile::tempdir().unwrap();
    let mut text = "RVTools export, 4 December 2026\n".to_string();
    text.push_str(&csv_line(&strs(RVTOOLS_VINFO)));
    text.push_str(&csv_line(&row(RVTOOLS_VINFO, &[("VM", "A1")])));
    let p = d.path().join("titled.csv");
    std::fs::write(&p, text).unwrap();
    let (y, err) = import(d.path(), &p, &[]);
    assert_eq!(field(&y, "a1", "name"), Some("A1"));
    assert!(
        err.contains("row 1 above the header is a title, skipped"),
        "{err}"
    );
    // The native reader too.
    let n = d.path().join("native.csv");
    std::fs::write(
        &n,
        "Workload inventory March 2026\nid,name\npayroll,Payroll\n",
    )
    .unwrap();
    let r = cmd(&["validate", &n.display().to_string()]).code(0).run();
    assert!(
        r.stderr.contains("the first row is a title, not a header"),
        "{}",
        r.stderr
    );
    let x = write_xlsx(
        d.path(),
        "native.xlsx",
        &[(
            "Workloads",
            false,
            vec![
                strs(&["Workload inventory"]),
                strs(&["id", "name"]),
                strs(&["payroll", "Payroll"]),
            ],
        )],
    );
    let r = cmd(&["validate", &x.display().to_string()]).code(0).run();
    assert!(r.stdout.contains("1 workload"), "{}", r.stdout);
}

#[test]
fn native_headers_match_in_any_case_trimmed() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("cased.csv");
    std::fs::write(
        &p,
        "ID, Name ,Current.Hosting\npayroll,Payroll,on-premises\n",
    )
    .unwrap();
    let r = cmd(&["import", &p.display().to_string()]).code(0).run();
    assert!(
        r.stdout.contains("  - id: payroll\n    name: Payroll\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("    current:\n      hosting: on-premises\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn did_you_mean_never_proposes_a_field_of_another_meaning() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("mixed.csv");
    std::fs::write(&p, "id,name,OS name,Machine Name,Server name,Data classification,Datacenter,Operating System\nx,X,,,,,,\n").unwrap();
    let r = cmd(&["validate", &p.display().to_string()]).code(2).run();
    for wrong in [
        "`agency.name`",
        "`service.region`",
        "`data.location`",
        "`data.residency`",
        "`operations.deployment`",
        "did you mean `name`",
    ] {
        assert!(!r.stderr.contains(wrong), "suggests {wrong}:\n{}", r.stderr);
    }
    assert!(
        r.stderr
            .contains("`Datacenter` is a column of RVTools vInfo exports"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("never a PSPF classification"),
        "{}",
        r.stderr
    );
}

#[test]
fn formula_cells_without_saved_values_are_errors_at_the_cell() {
    let d = tempfile::tempdir().unwrap();
    let rows = vec![
        strs(RVTOOLS_VINFO),
        row(RVTOOLS_VINFO, &[("VM", "=UPPER(\"app01\")")]),
    ];
    let x = write_xlsx(d.path(), "formulas.xlsx", &[("vInfo", false, rows)]);
    let r = cmd(&["import", &x.display().to_string()]).code(2).run();
    assert!(
        r.stderr.contains("vInfo!A2: a formula with no saved value"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("open and save the file in Excel or LibreOffice"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stdout.contains("workloads"),
        "nothing is written: {}",
        r.stdout
    );
}

#[test]
fn an_unrecognised_file_names_its_sheets_and_the_sources_known() {
    let d = tempfile::tempdir().unwrap();
    let x = write_xlsx(
        d.path(),
        "other.xlsx",
        &[
            (
                "Summary",
                false,
                vec![strs(&["Host", "Owner"]), strs(&["a", "b"])],
            ),
            ("Lists", true, vec![strs(&["x"])]),
        ],
    );
    let r = cmd(&["import", &x.display().to_string()]).code(2).run();
    assert!(
        r.stderr.contains("its sheets: `Summary` (hidden: `Lists`)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("`rvtools` (RVTools vInfo)"),
        "{}",
        r.stderr
    );
    let r = cmd(&["import", &x.display().to_string(), "--from", "rvtools"])
        .code(2)
        .run();
    assert!(
        r.stderr
            .contains("has no header with RVTools vInfo's columns"),
        "{}",
        r.stderr
    );
    let r = cmd(&["import", &x.display().to_string(), "--from", "sccm"])
        .code(2)
        .run();
    assert!(
        r.stderr
            .contains("--from `sccm` is not a source cloudready knows"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_agency_mapping_replaces_the_built_in_one_and_may_not_set_classification() {
    let d = tempfile::tempdir().unwrap();
    let c = write_csv(
        d.path(),
        "own.csv",
        &["Host", "Tier"],
        &[strs(&["h1", "Gold"])],
    );
    let map = d.path().join("own.yaml");
    std::fs::write(&map, "source: own\ntitle: Our CMDB\nsignature: [Host, Tier]\nunit: machine\ncolumns:\n  - { column: Host, use: name, meaning: host }\n  - { column: Tier, field: criticality, meaning: service tier, values: { Gold: critical } }\n").unwrap();
    let (y, _) = import(d.path(), &c, &["--map", &map.display().to_string()]);
    assert_eq!(field(&y, "h1", "criticality"), Some("critical"));
    std::fs::write(&map, "source: own\ntitle: Our CMDB\nsignature: [Host, Tier]\nunit: machine\ncolumns:\n  - { column: Host, use: name, meaning: host }\n  - { column: Tier, field: classification, meaning: tier, values: { Gold: PROTECTED } }\n").unwrap();
    let r = cmd(&[
        "import",
        &c.display().to_string(),
        "--map",
        &map.display().to_string(),
    ])
    .code(2)
    .run();
    assert!(
        r.stderr.contains("an import never infers a classification"),
        "{}",
        r.stderr
    );
}

#[test]
fn merged_cells_fill_their_range() {
    let d = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("vInfo").unwrap();
    let header = [
        "VM",
        "Powerstate",
        "Template",
        "OS according to the configuration file",
        "Datacenter",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, vm) in ["WEB1", "WEB2"].iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, *vm).unwrap();
    }
    // One `Datacenter` cell merged over both rows, as people lay out a report.
    ws.merge_range(1, 4, 2, 4, "Canberra", &rust_xlsxwriter::Format::new())
        .unwrap();
    let x = d.path().join("merged.xlsx");
    book.save(&x).unwrap();
    let (y, _) = import(d.path(), &x, &[]);
    assert!(
        field(&y, "web1", "tags").unwrap().contains("dc-canberra"),
        "{y}"
    );
    assert!(
        field(&y, "web2", "tags").unwrap().contains("dc-canberra"),
        "{y}"
    );
}
