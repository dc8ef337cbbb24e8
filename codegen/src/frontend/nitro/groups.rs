//! ADC documentation folders (long names) -> the short NITRO group names
//! the API and the appliance bundle use (`load-balancing` -> `lb`).

/// Folder under `docs/configuration` or `docs/statistics` -> short group.
const ADC_GROUPS: &[(&str, &str)] = &[
    ("aaa", "aaa"),
    ("analytics", "analytics"),
    ("app", "app"),
    ("appflow", "appflow"),
    ("application-firewall", "appfw"),
    ("appqoe", "appqoe"),
    ("audit", "audit"),
    ("authentication", "authentication"),
    ("authorization", "authorization"),
    ("autoscale", "autoscale"),
    ("basic", "basic"),
    ("bfd", "bfd"),
    ("ca", "ca"),
    ("cache-redirection", "cr"),
    ("ci", "contentinspection"),
    ("cloud", "cloud"),
    ("cluster", "cluster"),
    ("compression", "cmp"),
    ("content-switching", "cs"),
    ("db", "db"),
    ("domain-name-service", "dns"),
    ("filter", "filter"),
    ("front-end-optimization", "feo"),
    ("global-server-load-balancing", "gslb"),
    ("high-availability", "ha"),
    ("http-dos-protection", "dos"),
    ("ica", "ica"),
    ("integrated-caching", "cache"),
    ("ipsec", "ipsec"),
    ("ipsecalg", "ipsecalg"),
    ("lldp", "lldp"),
    ("load-balancing", "lb"),
    ("lsn", "lsn"),
    ("network", "network"),
    ("ns", "ns"),
    ("ntp", "ntp"),
    ("pcp", "pcp"),
    ("policy", "policy"),
    ("priority-queuing", "pq"),
    ("protocol", "protocol"),
    ("qos", "qos"),
    ("rdp", "rdp"),
    ("reputation", "reputation"),
    ("responder", "responder"),
    ("rewrite", "rewrite"),
    ("rise", "rise"),
    ("router", "router"),
    ("smpp", "smpp"),
    ("snmp", "snmp"),
    ("spillover", "spillover"),
    ("ssl", "ssl"),
    ("ssl-vpn", "vpn"),
    ("stream", "stream"),
    ("subscriber", "subscriber"),
    ("sure-connect", "sc"),
    ("system", "system"),
    ("traffic-management", "tm"),
    ("transform", "transform"),
    ("tunnel", "tunnel"),
    ("ulfd", "ulfd"),
    ("urlfiltering", "urlfiltering"),
    ("user", "user"),
    ("utility", "utility"),
    ("videooptimization", "videooptimization"),
    ("webinterface", "wi"),
    ("wf", "wf"),
    ("xm", "xm"),
];

/// The short group of an ADC folder; `Err` with the fallback (the folder
/// without `-`) when the folder is not in the table.
/// A folder that already is a short group (the appliance bundle's
/// `html/config/lb/`) is kept.
pub(super) fn adc_group(folder: &str) -> Result<&'static str, String> {
    ADC_GROUPS
        .iter()
        .find(|(long, _)| *long == folder)
        .or_else(|| ADC_GROUPS.iter().find(|(_, short)| *short == folder))
        .map(|(_, short)| *short)
        .ok_or_else(|| folder.replace('-', ""))
}

/// The group of an ADM page: its first folder with `-` as `_`
/// (`device-ssl-certificates` -> `device_ssl_certificates`).
pub(super) fn adm_group(folder: &str) -> String {
    folder.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(ADC_GROUPS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn known_unknown_and_adm() {
        assert_eq!(adc_group("load-balancing"), Ok("lb"));
        assert_eq!(adc_group("ci"), Ok("contentinspection"));
        assert_eq!(adc_group("lb"), Ok("lb"));
        assert_eq!(adc_group("new-thing"), Err("newthing".to_string()));
        assert_eq!(adm_group("device-ssl-certificates"), "device_ssl_certificates");
    }
}
