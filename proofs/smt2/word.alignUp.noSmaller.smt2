; obligation: word.alignUp.noSmaller
; statement: alignUp(x, n) ≥ x when x + 2^n − 1 does not overflow
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; word.alignUp.noSmaller
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
 (let ((?x0 (ite (bvule (_ bv64 64) bits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) bits) (_ bv1 64)))))
 (let (($x2 (bvule value (bvand (bvadd value ?x0) (bvnot ?x0)))))
 (not $x2))))
(check-sat)
