//! One policy for threads: how many to start for a piece of work, and running independent items
//! on them.
//!
//! Work splits into independent items (a trend's answers, a chart's series); [`workers`]
//! decides how many threads they run on: one, the calling thread alone, on a machine of one
//! core ([`std::thread::available_parallelism`], asked once per process) or when the work is
//! too small to pay for starting a thread ([`MIN_SIZE_PER_THREAD`]); otherwise never more than
//! the items, nor than [`THREADS_PER_CORE`] a core. [`map`] runs the items on that many scoped
//! threads, in contiguous chunks, the calling thread taking the first; [`join`] runs two
//! different closures side by side. A panic on a worker is resumed on the caller, as if the
//! work had run there.
//!
//! `rayon` would do the same with a pool kept between calls and work stealing. It is not used:
//! polltrack splits a handful of items a command (three answers, three series), each of a
//! millisecond or more, where starting a thread (tens of microseconds) is noise and work
//! stealing has nothing to balance; `rayon` would add four crates to build (`rayon`,
//! `rayon-core`, `crossbeam-deque`, `crossbeam-epoch`) and a pool of threads idle for the rest
//! of the process, for the hundred lines here. Should polltrack come to split many small
//! items (a chart per question, a fit per pollster), `rayon` is the better tool.
//!
//! # For the places that start threads of their own
//!
//! - Two halves of one read (the database's raw trend read): [`join`], whose policy runs both
//!   halves on the calling thread when the machine has one core. Halves below the line (a read
//!   of a few thousand rows) should be one read, as `workers(2, rows)` says.
//! - Reader-writer pipelines (import reading the file while SQLite inserts; export writing a
//!   page while the next is read): a producer and a consumer over a bounded channel are not
//!   items to split, and both must run for the pipeline to move, so while there is a pipeline
//!   it keeps its one thread for the other side, always: on one core or for a small file the
//!   thread costs tens of microseconds, and a second, in-turn path would be code to keep
//!   right for nothing a user could see.
//! - Dropping a large value off the caller's path (a long series freed while the trend is
//!   fitted) is fire-and-forget, not work to split.

use std::num::NonZeroUsize;
use std::sync::OnceLock;

/// The size of work (polls fitted, points drawn: what the caller's work grows with) a thread
/// must have to be worth starting.
///
/// Measured on the 2-core development machine with `where_a_thread_pays` below (release
/// build): a scoped thread started and joined costs about 27 µs. The cheapest work split here,
/// a latest-poll trend, takes about 0.08 µs a poll (77 µs for 1,000 polls, 0.77 ms for
/// 10,000), so a thread of it breaks even at about 350 polls and pays three times its cost at
/// 1,000. A chart's points are of the same order (not measured alone: the whole PNG of 100,000
/// points takes about 40 ms, 0.4 µs a point). Heavier work pays sooner (a Kalman trend:
/// 0.2 ms for 100 polls, 1.8 ms for 1,000), but below the line it takes a few milliseconds at
/// most, where one thread loses little.
pub const MIN_SIZE_PER_THREAD: usize = 1_000;

/// Threads started per core at most. A few large items run on a thread each, so the scheduler
/// shares the cores among them: three answers on two cores take the time of 1.5 fits on three
/// threads, and of 2 on two threads (one fitting two answers). Many items go in chunks, at most
/// this many threads a core, which keeps the largest chunk under the items' share of a core.
pub const THREADS_PER_CORE: usize = 4;

/// The threads the machine runs at once, asked once per process (on Linux the answer reads the
/// cgroup's quota from files). 1 when it cannot tell.
pub fn available() -> usize {
    static AVAILABLE: OnceLock<usize> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        std::thread::available_parallelism()
            .map(NonZeroUsize::get)
            .unwrap_or(1)
    })
}

/// How many threads to run `items` independent items on, whose work has total `size` (in the
/// units of [`MIN_SIZE_PER_THREAD`]): 1 when [`available`] is, otherwise at most `items`, at
/// most [`THREADS_PER_CORE`] times [`available`], and no more than gives each thread
/// [`MIN_SIZE_PER_THREAD`] of work; at least 1.
pub fn workers(items: usize, size: usize) -> usize {
    workers_on(available(), items, size)
}

fn workers_on(cores: usize, items: usize, size: usize) -> usize {
    if cores <= 1 {
        return 1;
    }
    let worth = size / MIN_SIZE_PER_THREAD;
    (cores * THREADS_PER_CORE).min(items).min(worth).max(1)
}

/// `f` applied to each item, the results in the items' order, on [`workers`]`(items.len(),
/// size)` threads (the calling thread one of them).
pub fn map<T, R, F>(items: &[T], size: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    map_on(workers(items.len(), size), items, f)
}

fn map_on<T, R, F>(threads: usize, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let mut chunks = items.chunks(chunk);
        let first = chunks.next().unwrap_or_default();
        let others: Vec<_> = chunks
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut results: Vec<R> = first.iter().map(f).collect();
        for other in others {
            results.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    })
}

/// `a` and `b` side by side, `b` on the calling thread and `a` on a thread of its own, unless
/// the machine has one core (then one after the other). Both return before `join` does.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB,
    RA: Send,
{
    if available() <= 1 {
        let first = a();
        return (first, b());
    }
    std::thread::scope(|scope| {
        let first = scope.spawn(a);
        let second = b();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_never_exceed_the_items_the_cores_or_what_the_work_pays_for() {
        let big = 1000 * MIN_SIZE_PER_THREAD;
        assert_eq!(workers_on(8, 3, big), 3);
        // Three answers on two cores: a thread each, for the scheduler to share out.
        assert_eq!(workers_on(2, 3, big), 3);
        assert_eq!(workers_on(2, 100, big), 2 * THREADS_PER_CORE);
        assert_eq!(workers_on(1, 3, big), 1);
        assert_eq!(workers_on(8, 3, MIN_SIZE_PER_THREAD - 1), 1);
        assert_eq!(workers_on(8, 3, 2 * MIN_SIZE_PER_THREAD), 2);
        assert_eq!(workers_on(8, 0, big), 1);
        assert_eq!(workers_on(8, 1, big), 1);
        assert!(available() >= 1);
    }

    #[test]
    fn map_keeps_the_items_order_on_any_number_of_threads() {
        let items: Vec<usize> = (0..37).collect();
        let squares: Vec<usize> = items.iter().map(|i| i * i).collect();
        for threads in [0, 1, 2, 3, 8, 37, 100] {
            assert_eq!(map_on(threads, &items, |i| i * i), squares, "{threads}");
        }
        assert!(map_on(4, &[] as &[usize], |i| *i).is_empty());
        assert_eq!(map(&items, usize::MAX, |i| i * i), squares);
    }

    #[test]
    fn a_panic_on_a_worker_reaches_the_caller() {
        let items = [1, 2, 3, 4];
        let caught = std::panic::catch_unwind(|| {
            map_on(4, &items, |&i| {
                assert_ne!(i, 4, "item four");
                i
            })
        });
        assert!(caught.is_err());
    }

    /// Where [`MIN_SIZE_PER_THREAD`] comes from: what starting a thread costs beside the
    /// cheapest work split here, a trend of one answer by the latest polls, by size. Run with
    /// `cargo test --release --lib parallel::tests::where_a_thread_pays -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore = "a measurement: prints figures and asserts nothing"]
    fn where_a_thread_pays() {
        use crate::analysis::{self, AnswerSeries, Method, PollPoint, Selection, TrendOptions};
        use std::time::{Duration, Instant};
        fn fastest(mut run: impl FnMut()) -> Duration {
            (0..30)
                .map(|_| {
                    let started = Instant::now();
                    run();
                    started.elapsed()
                })
                .min()
                .unwrap_or_default()
        }
        let thread = fastest(|| std::thread::scope(|scope| scope.spawn(|| ()).join().unwrap()));
        eprintln!("a scoped thread started and joined: {thread:?}");
        let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        for polls in [100, 300, 1_000, 3_000, 10_000] {
            // Two polls a day, by 20 pollsters.
            let series = AnswerSeries {
                answer: "Yes".into(),
                polls: (0..polls)
                    .map(|i| {
                        let date = start + chrono::Days::new(i as u64 / 2);
                        PollPoint {
                            poll_id: i as i64,
                            date,
                            known_on: date,
                            pct: 40.0 + (i % 7) as f64,
                            sample_size: Some(1000.0),
                            pollster: i % 20,
                        }
                    })
                    .collect(),
            };
            let selection = Selection {
                pollsters: (0..20).map(|p| format!("P{p}")).collect(),
                answers: vec![series],
                ..Selection::default()
            };
            for method in [Method::Latest, Method::Kalman] {
                let options = TrendOptions {
                    method,
                    ..TrendOptions::default()
                };
                let fit = fastest(|| {
                    analysis::daily_trends(&selection, &options);
                });
                eprintln!(
                    "{method:?} trend of {polls} polls: {fit:?}, {:.1} thread starts",
                    fit.as_secs_f64() / thread.as_secs_f64()
                );
            }
        }
    }

    #[test]
    fn join_returns_both() {
        let (a, b) = join(|| 1 + 1, || "two");
        assert_eq!((a, b), (2, "two"));
    }
}
