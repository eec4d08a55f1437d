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
 (let ((?x0 (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) bits) (_ bv1 64)))))
 (let (($x1 (not (= ((_ extract 64 64) (bvadd ((_ zero_extend 1) value) ((_ zero_extend 1) ?x0))) (_ bv0 1)))))
 (not $x1))))
(assert
 (let ((?x2 (bvshl (_ bv1 64) bits)))
 (let ((?x3 (bvand (bvadd value (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub ?x2 (_ bv1 64)))) (bvnot (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub ?x2 (_ bv1 64)))))))
 (let (($x4 (bvult (bvsub ?x3 value) ?x2)))
 (not $x4)))))
(check-sat)
