; obligation: priorityBitmap.removeFromBitmap.wellFormed
; statement: removeFromBitmap keeps a bitmap well formed
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; priorityBitmap.removeFromBitmap.wellFormed
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun l2_0 () (_ BitVec 64))
(declare-fun l1 () (_ BitVec 64))
(declare-fun l2_1 () (_ BitVec 64))
(declare-fun l2_2 () (_ BitVec 64))
(declare-fun l2_3 () (_ BitVec 64))
(declare-fun p () (_ BitVec 64))
(assert
 (let (($x55 (or (and (not (= (bvand l1 (_ bv8 64)) (_ bv0 64))) (not (= l2_0 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv8 64)) (_ bv0 64)))) (= l2_0 (_ bv0 64))))))
 (let (($x44 (or (and (not (= (bvand l1 (_ bv4 64)) (_ bv0 64))) (not (= l2_1 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv4 64)) (_ bv0 64)))) (= l2_1 (_ bv0 64))))))
 (let (($x34 (or (and (not (= (bvand l1 (_ bv2 64)) (_ bv0 64))) (not (= l2_2 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv2 64)) (_ bv0 64)))) (= l2_2 (_ bv0 64))))))
 (let (($x23 (or (and (not (= (bvand l1 (_ bv1 64)) (_ bv0 64))) (not (= l2_3 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv1 64)) (_ bv0 64)))) (= l2_3 (_ bv0 64))))))
 (and (and (and (and (= (bvlshr l1 (_ bv4 64)) (_ bv0 64)) $x23) $x34) $x44) $x55))))))
(assert
 (bvule p (_ bv255 64)))
(assert
 (let ((?x61 (bvlshr p (_ bv6 64))))
 (let ((?x63 (bvsub (_ bv3 64) ?x61)))
 (let (($x65 (= ?x63 (_ bv1 64))))
 (let (($x64 (= ?x63 (_ bv0 64))))
 (let ((?x74 (bvand (ite $x64 l2_0 (ite $x65 l2_1 (ite (= ?x63 (_ bv2 64)) l2_2 l2_3))) (bvnot (bvshl (_ bv1 64) (bvand p (_ bv63 64)))))))
 (let (($x120 (= (ite $x64 ?x74 l2_0) (_ bv0 64))))
 (let ((?x84 (ite (= ?x74 (_ bv0 64)) (bvand l1 (bvnot (bvshl (_ bv1 64) ?x61))) l1)))
 (let (($x119 (not (= (bvand ?x84 (_ bv8 64)) (_ bv0 64)))))
 (let (($x110 (= (ite $x65 ?x74 l2_1) (_ bv0 64))))
 (let (($x115 (or (and (not (= (bvand ?x84 (_ bv4 64)) (_ bv0 64))) (not $x110)) (and (not (not (= (bvand ?x84 (_ bv4 64)) (_ bv0 64)))) $x110))))
 (let (($x100 (= (ite (= ?x63 (_ bv2 64)) ?x74 l2_2) (_ bv0 64))))
 (let (($x105 (or (and (not (= (bvand ?x84 (_ bv2 64)) (_ bv0 64))) (not $x100)) (and (not (not (= (bvand ?x84 (_ bv2 64)) (_ bv0 64)))) $x100))))
 (let (($x90 (= (ite (= ?x63 (_ bv3 64)) ?x74 l2_3) (_ bv0 64))))
 (let (($x95 (or (and (not (= (bvand ?x84 (_ bv1 64)) (_ bv0 64))) (not $x90)) (and (not (not (= (bvand ?x84 (_ bv1 64)) (_ bv0 64)))) $x90))))
 (let (($x126 (and (and (and (and (= (bvlshr ?x84 (_ bv4 64)) (_ bv0 64)) $x95) $x105) $x115) (or (and $x119 (not $x120)) (and (not $x119) $x120)))))
 (not $x126)))))))))))))))))
(check-sat)
