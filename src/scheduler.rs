//! Which worker runs which scenario next: a small state machine with no
//! device, no thread and no clock, so every transition is unit-tested.
//!
//! Workers are told apart by [`WorkerId`], never by serial: every simulated
//! worker has the serial `sim`, and a retry that avoided "`sim`" would avoid
//! them all. The machine keeps one invariant after every transition: each
//! queued job has at least one healthy worker it does not avoid. A job that
//! loses its last such worker leaves the queue at once as
//! [`Settled::NoWorker`], so no worker ever waits for a job nobody may take.

use std::collections::VecDeque;

/// A worker: one device connection (or one simulated device instance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkerId(pub usize);

/// One scenario to run, and its history of failed attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Index of the scenario in the plan.
    pub index: usize,
    /// Which attempt this is (1 = first).
    pub attempt: u32,
    /// Workers that failed it for infrastructure reasons.
    pub avoid: Vec<WorkerId>,
}

/// What a worker should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Run this job.
    Run(Job),
    /// Nothing for this worker now, but a job may still come back to the
    /// queue: wait for a change.
    Wait,
    /// Nothing left for this worker: stop.
    Done,
}

/// How an attempt ended, as the scheduler needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The scenario ran (whatever its verdicts): record it.
    Ran,
    /// The device failed under it: try again elsewhere if allowed.
    Infra,
}

/// What becomes of a job after a transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Record the attempt as the scenario's result.
    Record(Job),
    /// The attempt failed and the job went back to the queue for another worker.
    Retry(Job),
    /// The job cannot run anywhere: no healthy worker it does not avoid is
    /// left. Record it as an infrastructure failure.
    NoWorker(Job),
}

/// The scheduler's state.
#[derive(Debug, Clone)]
pub struct Scheduler {
    queue: VecDeque<Job>,
    running: Vec<Option<Job>>,
    healthy: Vec<bool>,
    retries: u32,
    cancelled: bool,
}

impl Scheduler {
    /// Jobs for scenarios `order` (in that order), `workers` workers, and
    /// up to `retries` more attempts after an infrastructure failure.
    pub fn new(order: impl IntoIterator<Item = usize>, workers: usize, retries: u32) -> Self {
        Scheduler {
            queue: order
                .into_iter()
                .map(|index| Job {
                    index,
                    attempt: 1,
                    avoid: Vec::new(),
                })
                .collect(),
            running: vec![None; workers],
            healthy: vec![true; workers],
            retries,
            cancelled: false,
        }
    }

    fn eligible(&self, job: &Job, w: WorkerId) -> bool {
        self.healthy.get(w.0).copied().unwrap_or(false) && !job.avoid.contains(&w)
    }

    fn anyone_for(&self, job: &Job) -> bool {
        (0..self.healthy.len()).any(|i| self.eligible(job, WorkerId(i)))
    }

    /// The next thing worker `w` should do. [`Next::Done`] retires the
    /// worker: it is not counted on for any job after that.
    pub fn next(&mut self, w: WorkerId) -> Next {
        if self.cancelled || !self.healthy.get(w.0).copied().unwrap_or(false) {
            return Next::Done;
        }
        if let Some(p) = self.queue.iter().position(|j| self.eligible(j, w)) {
            if let Some(job) = self.queue.remove(p) {
                self.running[w.0] = Some(job.clone());
                return Next::Run(job);
            }
        }
        // Jobs queued for other workers are theirs to take; wait only while
        // a job running elsewhere may still come back for this worker.
        let may_come_back = self
            .running
            .iter()
            .enumerate()
            .any(|(i, j)| i != w.0 && j.as_ref().is_some_and(|j| self.eligible(j, w)));
        if may_come_back {
            Next::Wait
        } else {
            self.healthy[w.0] = false;
            Next::Done
        }
    }

    /// Worker `w` finished its job.
    pub fn finish(&mut self, w: WorkerId, ended: Ended) -> Option<Settled> {
        let job = self.running.get_mut(w.0)?.take()?;
        if ended == Ended::Ran || job.attempt > self.retries || self.cancelled {
            return Some(Settled::Record(job));
        }
        let mut again = Job {
            index: job.index,
            attempt: job.attempt + 1,
            avoid: job.avoid,
        };
        again.avoid.push(w);
        if self.anyone_for(&again) {
            self.queue.push_front(again.clone());
            Some(Settled::Retry(again))
        } else {
            // No other healthy worker: nobody may retry it. Settled now,
            // never waited on.
            again.attempt -= 1;
            Some(Settled::NoWorker(again))
        }
    }

    /// Worker `w` could not start its job (its device went away before the
    /// scenario began): the job goes back untouched.
    pub fn give_back(&mut self, w: WorkerId) {
        if let Some(job) = self.running.get_mut(w.0).and_then(Option::take) {
            self.queue.push_front(job);
        }
    }

    /// Worker `w` is put aside (device gone, worker panicked). Returns the
    /// jobs that no healthy worker may take any more, removed from the queue.
    pub fn put_aside(&mut self, w: WorkerId) -> Vec<Settled> {
        if let Some(h) = self.healthy.get_mut(w.0) {
            *h = false;
        }
        self.give_back(w);
        self.stranded()
    }

    /// Removes and returns the queued jobs no healthy worker may take.
    pub fn stranded(&mut self) -> Vec<Settled> {
        let (keep, gone): (VecDeque<Job>, VecDeque<Job>) = std::mem::take(&mut self.queue)
            .into_iter()
            .partition(|j| self.anyone_for(j));
        self.queue = keep;
        gone.into_iter().map(Settled::NoWorker).collect()
    }

    /// Ctrl-C: no new job starts; the queue stays for [`Scheduler::drain`].
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// Removes and returns the queued jobs.
    pub fn drain(&mut self) -> Vec<Job> {
        self.queue.drain(..).collect()
    }

    /// Whether nothing is queued or running.
    pub fn idle(&self) -> bool {
        self.queue.is_empty() && self.running.iter().all(Option::is_none)
    }

    /// How many workers are still healthy.
    pub fn healthy(&self) -> usize {
        self.healthy.iter().filter(|h| **h).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: WorkerId = WorkerId(0);
    const B: WorkerId = WorkerId(1);

    fn run(s: &mut Scheduler, w: WorkerId) -> Job {
        match s.next(w) {
            Next::Run(j) => j,
            other => panic!("expected a job for {w:?}, got {other:?}"),
        }
    }

    #[test]
    fn an_infra_failure_is_retried_on_another_worker_with_the_same_serial() {
        // Two simulated workers: both are `sim`, but they are two workers.
        let mut s = Scheduler::new([0], 2, 1);
        let j = run(&mut s, A);
        assert_eq!(s.next(B), Next::Wait);
        assert!(matches!(s.finish(A, Ended::Infra), Some(Settled::Retry(_))));
        assert_eq!(s.next(A), Next::Done, "A failed it: A must not take it");
        let again = run(&mut s, B);
        assert_eq!((again.index, again.attempt), (j.index, 2));
        assert!(matches!(
            s.finish(B, Ended::Infra),
            Some(Settled::Record(Job { attempt: 2, .. }))
        ));
        assert_eq!(s.next(A), Next::Done);
        assert_eq!(s.next(B), Next::Done);
    }

    #[test]
    fn with_no_other_healthy_worker_the_failure_is_recorded_not_waited_on() {
        let mut s = Scheduler::new([0, 1], 1, 3);
        run(&mut s, A);
        assert_eq!(
            s.finish(A, Ended::Infra),
            Some(Settled::NoWorker(Job {
                index: 0,
                attempt: 1,
                avoid: vec![A]
            }))
        );
        assert_eq!(run(&mut s, A).index, 1);
    }

    #[test]
    fn a_worker_put_aside_hands_its_job_back_or_settles_it() {
        let mut s = Scheduler::new([0, 1], 2, 1);
        run(&mut s, A);
        run(&mut s, B);
        assert!(matches!(s.finish(A, Ended::Infra), Some(Settled::Retry(_))));
        // B dies (a panic, an unplugged cable) while job 1 runs: job 1 goes
        // back for A, job 0 (which A failed) has nobody left.
        let gone = s.put_aside(B);
        assert_eq!(gone.len(), 1);
        assert!(matches!(&gone[0], Settled::NoWorker(Job { index: 0, .. })));
        assert_eq!(run(&mut s, A).index, 1);
        assert_eq!(s.finish(A, Ended::Ran).map(|_| ()), Some(()));
        assert_eq!(s.next(A), Next::Done);
        assert!(s.idle());
    }

    #[test]
    fn waiting_ends_when_the_running_job_cannot_come_back() {
        let mut s = Scheduler::new([0], 2, 1);
        run(&mut s, A);
        assert_eq!(s.next(B), Next::Wait);
        assert!(matches!(s.finish(A, Ended::Ran), Some(Settled::Record(_))));
        assert_eq!(s.next(B), Next::Done);
    }

    #[test]
    fn cancel_stops_new_work_and_returns_the_queue() {
        let mut s = Scheduler::new([0, 1, 2], 1, 1);
        run(&mut s, A);
        s.cancel();
        let left = s.drain();
        assert_eq!(left.iter().map(|j| j.index).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(s.next(A), Next::Done);
        assert!(matches!(
            s.finish(A, Ended::Infra),
            Some(Settled::Record(_))
        ));
    }

    #[test]
    fn every_job_settles_exactly_once_whatever_happens() {
        // Exhaustive over small failure patterns: 3 jobs, 2 workers, each
        // attempt fails or not by a bit of `pattern`, and worker B may die.
        for pattern in 0u32..256 {
            for b_dies_at in [None, Some(0), Some(2)] {
                let mut s = Scheduler::new([0, 1, 2], 2, 1);
                let mut settled = [0u32; 3];
                let mut bit = 0;
                let mut steps = 0;
                let mut alive = [true, true];
                while !s.idle() || alive.iter().any(|a| *a) {
                    steps += 1;
                    assert!(steps < 100, "no progress: {s:?}");
                    let mut progressed = false;
                    for w in [A, B] {
                        if !alive[w.0] {
                            continue;
                        }
                        if w == B && b_dies_at == Some(steps) {
                            alive[1] = false;
                            for g in s.put_aside(B) {
                                if let Settled::NoWorker(j) = g {
                                    settled[j.index] += 1;
                                }
                            }
                            progressed = true;
                            continue;
                        }
                        match s.next(w) {
                            Next::Run(_) => {
                                let infra = pattern >> (bit % 8) & 1 == 1;
                                bit += 1;
                                let e = if infra { Ended::Infra } else { Ended::Ran };
                                match s.finish(w, e) {
                                    Some(Settled::Record(j)) | Some(Settled::NoWorker(j)) => {
                                        settled[j.index] += 1
                                    }
                                    _ => {}
                                }
                                progressed = true;
                            }
                            Next::Done => {
                                alive[w.0] = false;
                                progressed = true;
                            }
                            Next::Wait => {}
                        }
                    }
                    assert!(progressed, "every live worker waits: deadlock in {s:?}");
                }
                assert_eq!(
                    settled,
                    [1, 1, 1],
                    "pattern {pattern:b}, B dies at {b_dies_at:?}"
                );
            }
        }
    }
}
