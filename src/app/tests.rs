//! The use cases end to end on a database in memory: the demo's polls stored, a trend, house
//! effects and a chart made of them, and an export imported into a second database.

use super::chart::{ChartRequest, chart};
use super::export::{ExportFormat, ExportRequest, export};
use super::house_effects::{HouseEffectsRequest, house_effects};
use super::import::{ImportEvent, ImportFormat, ImportRequest, open};
use super::trend::{Days, TrendRequest, trend};
use super::{Commit, demo, polls};
use crate::analysis::Method;
use crate::db::SqliteStore;
use crate::db::{OnConflict, SeriesFilter};
use crate::error::Result;
use crate::export::Audience;
use crate::model::PollFilter;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// An output whose bytes the test can read once the use case has committed it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Commit for Shared {
    fn commit(self) -> Result<()> {
        Ok(())
    }
}

async fn scratch() -> SqliteStore {
    SqliteStore::open_scratch(Path::new("test.db"))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_use_cases_run_end_to_end_without_a_front_door() {
    let store = scratch().await;
    let example = demo::record_example_poll(&store).await.unwrap();
    assert!(matches!(example, demo::ExamplePoll::Recorded { id: 1, .. }));
    let again = demo::record_example_poll(&store).await.unwrap();
    assert_eq!(again, demo::ExamplePoll::StoredAlready);
    let simulated = demo::import_simulated(&store, 200, 1).await.unwrap();
    assert_eq!((simulated.added, simulated.stored_already), (200, 0));
    assert_eq!(
        polls::show(&store, 1).await.unwrap().pollster,
        "Gallup Korea"
    );

    let filter = SeriesFilter {
        question: simulated.question.clone(),
        ..SeriesFilter::default()
    };
    let mut request = TrendRequest {
        filter: filter.clone(),
        days: Days::AtPolls,
        ..TrendRequest::default()
    };
    request.options.method = Method::Loess;
    let fitted = trend(&store, &request).await.unwrap();
    assert_eq!(fitted.answers.len(), 3);
    assert!(fitted.answers.iter().all(|a| !a.points.is_empty()));
    request.days = Days::AsOf;
    assert!(trend(&store, &request).await.is_err(), "no as-of LOESS");

    let effects = house_effects(&store, &HouseEffectsRequest { filter, step: None })
        .await
        .unwrap();
    assert_eq!(effects.models.len(), 3);
    assert!(effects.effects.iter().all(|e| e.effect.is_some()));

    let svg = chart(
        &store,
        &ChartRequest::new(&simulated.question, Method::Kalman),
        crate::chart::Format::Svg,
    )
    .await
    .unwrap();
    assert!(String::from_utf8_lossy(&svg.bytes).contains("<svg"));

    let output = Shared::default();
    let request = ExportRequest {
        filter: PollFilter::default(),
        format: ExportFormat::Long,
        audience: Audience::Analysis,
        ..Default::default()
    };
    let exported = export(&store, &request, output.clone()).await.unwrap();
    assert_eq!(exported.polls, 201);
    let csv = output.0.lock().unwrap().clone();

    let other = scratch().await;
    let request = ImportRequest {
        election_dates: Vec::new(),
        name: "export.csv".into(),
        format: ImportFormat::Long,
        options: Default::default(),
        skip_invalid: false,
        on_conflict: OnConflict::Refuse,
        restore_deleted: false,
        dry_run: false,
    };
    let import = open(std::io::Cursor::new(csv), request).unwrap();
    let mut problems = Vec::new();
    let report = import
        .run(&other, None::<Shared>, &mut |event| {
            if let ImportEvent::Problem(message) = event {
                problems.push(message.to_string());
            }
        })
        .await
        .unwrap();
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!((report.tally.added, report.refusal), (201, None));
    assert!(report.stored);
}

#[tokio::test]
async fn a_chart_names_its_sources_and_takes_the_words_and_range_it_is_given() {
    let store = scratch().await;
    demo::record_example_poll(&store).await.unwrap();
    let simulated = demo::import_simulated(&store, 200, 1).await.unwrap();
    let svg = |request: ChartRequest| {
        let store = &store;
        async move {
            let drawn = chart(store, &request, crate::chart::Format::Svg)
                .await
                .unwrap();
            String::from_utf8(drawn.bytes).unwrap()
        }
    };

    // By default: the population in the subtitle, the pollsters as the source, with the
    // polls' count and dates.
    let text = svg(ChartRequest::new("kr-gsomia", Method::Kalman)).await;
    assert!(
        text.contains("A single poll: no trend yet · adults"),
        "{text}"
    );
    assert!(
        text.contains("Source: Gallup Korea · 1 poll, 2016-11-18 · polltrack"),
        "{text}"
    );
    // Eight pollsters: three named and the others counted.
    let text = svg(ChartRequest::new(&simulated.question, Method::Kalman)).await;
    assert!(text.contains(" and 5 others · 200 polls, "), "{text}");
    assert!(text.contains(">\nSource: "));

    let mut request = ChartRequest::new(&simulated.question, Method::Kalman);
    request.subtitle = Some("Who leads the race".into());
    request.note = Some("Undecided voters were asked from the start.".into());
    request.credit = Some("Chart: The Herald".into());
    request.y_range = Some((20.0, 60.0));
    let text = svg(request.clone()).await;
    for words in [
        ">\nWho leads the race\n</text>",
        ">\nUndecided voters were asked from the start.\n</text>",
        ">\nChart: The Herald · 200 polls, ",
        ">\n20%\n</text>",
        ">\n60%\n</text>",
    ] {
        assert!(text.contains(words), "{words:?} missing");
    }
    assert!(!text.contains("Kalman") && !text.contains("Source:"));
    assert!(!text.contains(">\n0%\n</text>") && !text.contains(">\n70%\n</text>"));

    request.y_range = Some((60.0, 20.0));
    let refused = chart(&store, &request, crate::chart::Format::Svg).await;
    assert!(refused.unwrap_err().to_string().contains("lower first"));
}
