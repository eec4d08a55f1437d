; obligation: word.alignUp.least
; statement: alignUp(x, n) − x < 2^n: no aligned value between x and alignUp(x, n) is skipped
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; word.alignUp.least
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun bits () (_ BitVec 64))
(declare-fun value () (_ BitVec 64))
(assert
 (bvule bits (_ bv63 64)))
(assert
 (let ((?x15 (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) bits) (_ bv1 64)))))
 (let (($x22 (not (= ((_ extract 64 64) (bvadd ((_ zero_extend 1) value) ((_ zero_extend 1) ?x15))) (_ bv0 1)))))
 (not $x22))))
(assert
 (let ((?x12 (bvshl (_ bv1 64) bits)))
 (let ((?x26 (bvand (bvadd value (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub ?x12 (_ bv1 64)))) (bvnot (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub ?x12 (_ bv1 64)))))))
 (let (($x28 (bvult (bvsub ?x26 value) ?x12)))
 (not $x28)))))
(check-sat)
