; obligation: kernel.cspace.slotsDistinct
; statement: different indexes of one CNode give different slot addresses
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.cspace.slotsDistinct
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun radix () (_ BitVec 64))
(declare-fun cnode () (_ BitVec 64))
(declare-fun i () (_ BitVec 64))
(declare-fun j () (_ BitVec 64))
(assert
 (bvule radix (_ bv42 64)))
(assert
 (bvule cnode (_ bv281474976710655 64)))
(assert
 (let ((?x0 (bvshl (_ bv1 64) radix)))
 (bvult i ?x0)))
(assert
 (let ((?x0 (bvshl (_ bv1 64) radix)))
 (bvult j ?x0)))
(assert
 (not (= i j)))
(assert
 (let (($x1 (not (= (bvadd cnode (bvshl i (_ bv5 64))) (bvadd cnode (bvshl j (_ bv5 64)))))))
 (not $x1)))
(check-sat)
