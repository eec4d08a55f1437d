; obligation: kernel.cspace.slotInsideCNode
; statement: slot i of a CNode of 2^radix slots lies inside the CNode, 32-byte aligned, without overflow
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.cspace.slotInsideCNode
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun radix () (_ BitVec 64))
(declare-fun cnode () (_ BitVec 64))
(declare-fun index () (_ BitVec 64))
(assert
 (bvule radix (_ bv42 64)))
(assert
 (bvule cnode (_ bv281474976710655 64)))
(assert
 (let ((?x0 (ite (bvule (_ bv64 64) (bvadd radix (_ bv5 64))) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) (bvadd radix (_ bv5 64))) (_ bv1 64)))))
 (= (bvand cnode ?x0) (_ bv0 64))))
(assert
 (let ((?x1 (bvadd ((_ zero_extend 1) cnode) ((_ zero_extend 1) (bvshl (_ bv1 64) (bvadd radix (_ bv5 64)))))))
 (not (not (= ((_ extract 64 64) ?x1) (_ bv0 1))))))
(assert
 (bvult index (bvshl (_ bv1 64) radix)))
(assert
 (let (($x2 (bvule (bvadd (bvadd cnode (bvshl index (_ bv5 64))) (_ bv32 64)) (bvadd cnode (bvshl (_ bv1 64) (bvadd radix (_ bv5 64)))))))
 (let (($x3 (and (and (bvule cnode (bvadd cnode (bvshl index (_ bv5 64)))) $x2) (= (bvand (bvadd cnode (bvshl index (_ bv5 64))) (_ bv31 64)) (_ bv0 64)))))
 (not $x3))))
(check-sat)
