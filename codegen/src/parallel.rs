//! A parallel map for the generator's independent pieces of work (snapshot
//! files, group files, releases), on plain `std` threads.
//!
//! Why: regeneration and scraping were single-threaded and the machines
//! they run on have two or more cores (issue 11's "scrape every release
//! and regenerate in under 3 s"). Results come back in input order, so
//! the output does not depend on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to each of `items` on up to `available_parallelism`
/// threads; the results in the order of `items`.
///
/// Items are handed out one at a time, so a caller that puts its biggest
/// items first keeps every thread busy to the end. A panic in `work` is
/// raised again here, as it would be without threads.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut results = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        results.push((index, work(item)));
                    }
                    results
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so threads finish out of order.
        let squares = map(&items, |n| {
            if n % 7 == 0 {
                std::thread::yield_now();
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |n| *n).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 3")]
    fn a_panic_in_the_work_is_raised_again() {
        let items: Vec<u32> = (0..8).collect();
        map(&items, |n| assert_ne!(*n, 3, "item 3"));
    }
}
