//! The record generator shared by `tests/batch_stream.rs` and
//! `examples/batch_stream.rs`: NDJSON calls made on demand from their index,
//! so a batch of any size streams from memory that holds one line.
#![allow(clippy::indexing_slicing, dead_code)]

use std::fmt::Write as _;
use std::io::{self, Read};

/// The shapes of record `i`, a cycle of 16: every operation over the built-in
/// rulebooks, with and without the trail, and three kinds of bad record. The
/// area, dates and values vary with `i`.
pub fn record(i: u64, out: &mut String) {
    out.clear();
    let n = i % 1000;
    let d = 1 + i % 28;
    let m = 1 + (i / 28) % 12;
    let v = 80 + i % 20;
    let _ = match i % 16 {
        0 => write!(
            out,
            r#"{{"operation":"list","rulebook":"hengyang-county-2018-rectification","request":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"on":"2018-06-{d:02}","basis":"office_proposal","categories":["drug_abuse"],"facts":{{"problem_developing":true,"not_yet_responding":true,"problem_prominent_and_severe":false,"hard_to_make_progress":false,"strengthening_but_unimproved":false}}}}}}"#
        ),
        1 => write!(
            out,
            r#"{{"operation":"review","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"rectify","listed_on":"2018-06-{d:02}"}},"on":"2020-{m:02}-{d:02}","facts":{{"goal_met":false,"special_circumstances":true}},"application":"extend"}}}}"#
        ),
        2 => write!(
            out,
            r#"{{"operation":"review","rulebook":"hengyang-county-2018-rectification","explain":false,"request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"supervise","listed_on":"2018-06-01","extensions_used":1,"status":"extended"}},"on":"2020-06-{d:02}","facts":{{"goal_met":{},"conditions":{{"organisation_leadership":true,"mechanisms":{{"regular_study":true,"committee_systems":false}}}}}},"application":"cancel"}}}}"#,
            i % 3 == 0
        ),
        3 => write!(
            out,
            r#"{{"operation":"consequences","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"supervise","listed_on":"2019-06-{d:02}"}},"on":"2019-07-{d:02}","officials":[{{"name":"赵强","role":"first_responsible","in_post_since":"2017-02-01"}},{{"name":"钱芳","role":"direct_responsible","in_post_since":"2018-02-01"}}]}}}}"#
        ),
        4 => write!(
            out,
            r#"{{"operation":"timeline","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"supervise","listed_on":"2018-06-{d:02}"}},"reviews":[{{"on":"2019-06-{d:02}","facts":{{"goal_met":false,"special_circumstances":true}}}},{{"on":"2020-06-{d:02}","facts":{{"goal_met":false}}}}]}}}}"#
        ),
        5 => write!(
            out,
            r#"{{"operation":"assess","rulebook":"pingxiang-2018-demonstration-city","request":{{"area":{{"name":"区{n}","level":"county"}},"on":"2018-11-{d:02}","values":{{"awareness_rate":{v}.5,"satisfaction_rate":96,"auxiliary_police":{},"actual_users":{}}},"series":{{"new_user_growth_trend":[100,120,{}]}},"judgements":{{"listed_warning":false}}}}}}"#,
            1 + i % 3,
            100 + i % 200,
            110 + i % 40
        ),
        6 => write!(
            out,
            r#"{{"operation":"assess","rulebook":"sinan-county-20xx-assessment","request":{{"area":{{"name":"乡{n}","level":"township"}},"on":"2019-12-{d:02}","values":{{"cadres_involved":{},"students_using":0}},"judgements":{{"not_seriously_performing":true}},"score":{v}}}}}"#,
            i % 3
        ),
        7 => {
            let _ = write!(
                out,
                r#"{{"operation":"rank","rulebook":"sinan-county-20xx-assessment","request":{{"ranking":"provincial_survey","on":"2019-12-31","cohort":["#
            );
            for k in 0..12u64 {
                let _ = write!(
                    out,
                    r#"{}{{"name":"县{k:02}","score":{}}}"#,
                    if k == 0 { "" } else { "," },
                    80 + (i + k * 7) % 20
                );
            }
            write!(out, "]}}}}")
        }
        8 => write!(
            out,
            r#"{{"operation":"duties","rulebook":"qianxinan-2018-dispatch","request":{{"on":"2018-11-{d:02}"}}}}"#
        ),
        9 => write!(
            out,
            r#"{{"operation":"assess","rulebook":"guiyang-2018-goal-frame","request":{{"area":{{"name":"贵阳市","level":"prefecture"}},"on":"2018-07-{d:02}","values":{{"public_satisfaction":{v}.5,"school_drug_knowledge_awareness":97,"venue_awareness":88,"logistics_trade_survey":80}}}}}}"#
        ),
        10 => write!(
            out,
            r#"{{"operation":"validate","target":"review","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"supervise","listed_on":"2018-06-{d:02}"}},"on":"2018-12-01"}}}}"#
        ),
        11 => write!(
            out,
            r#"{{"operation":"assess","jurisdiction":"cn-hn-hengyang-county","request":{{"area":{{"name":"衡阳县","level":"county"}},"on":"2019-06-{d:02}","values":{{"class_hours":{}}},"only":["class_hours"]}}}}"#,
            i % 6
        ),
        12 => write!(
            out,
            r#"{{"operation":"review","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"rectify","listed_on":"2019-02-29"}},"on":"2019-{m:02}-{d:02}"}}}}"#
        ),
        13 => write!(out, r#"{{"operation":"review","request":{{"listing":"#),
        14 => write!(
            out,
            r#"{{"operation":"review","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"镇{n}","level":"township"}},"issuer":{{"level":"county"}},"tier":"rectify","listed_on":"2018-06-01","extensions_used":-{d}}},"on":"2020-06-01"}}}}"#
        ),
        _ => write!(
            out,
            r#"{{"operation":"duties","rulebook":"guiyang-2018-goal-frame","request":{{"on":"2018-{:02}-{d:02}"}}}}"#,
            4 + m % 9
        ),
    };
    out.push('\n');
}

/// Records 13, 14 and 12 of each cycle of 16 are bad.
pub fn is_bad(i: u64) -> bool {
    matches!(i % 16, 12..=14)
}

/// Generates `n` records on demand, holding one line at a time.
pub struct Generator {
    next: u64,
    n: u64,
    line: String,
    pos: usize,
}

impl Generator {
    /// Records 0 to `n - 1`.
    pub fn new(n: u64) -> Self {
        Generator {
            next: 0,
            n,
            line: String::new(),
            pos: 0,
        }
    }
}

impl Read for Generator {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.line.len() {
            if self.next == self.n {
                return Ok(0);
            }
            record(self.next, &mut self.line);
            self.next += 1;
            self.pos = 0;
        }
        let rest = &self.line.as_bytes()[self.pos..];
        let k = rest.len().min(buf.len());
        buf[..k].copy_from_slice(&rest[..k]);
        self.pos += k;
        Ok(k)
    }
}
