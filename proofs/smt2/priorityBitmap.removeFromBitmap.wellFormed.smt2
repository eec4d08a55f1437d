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
 (let (($x0 (or (and (not (= (bvand l1 (_ bv8 64)) (_ bv0 64))) (not (= l2_0 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv8 64)) (_ bv0 64)))) (= l2_0 (_ bv0 64))))))
 (let (($x1 (or (and (not (= (bvand l1 (_ bv4 64)) (_ bv0 64))) (not (= l2_1 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv4 64)) (_ bv0 64)))) (= l2_1 (_ bv0 64))))))
 (let (($x2 (or (and (not (= (bvand l1 (_ bv2 64)) (_ bv0 64))) (not (= l2_2 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv2 64)) (_ bv0 64)))) (= l2_2 (_ bv0 64))))))
 (let (($x3 (or (and (not (= (bvand l1 (_ bv1 64)) (_ bv0 64))) (not (= l2_3 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv1 64)) (_ bv0 64)))) (= l2_3 (_ bv0 64))))))
 (and (and (and (and (= (bvlshr l1 (_ bv4 64)) (_ bv0 64)) $x3) $x2) $x1) $x0))))))
(assert
 (bvule p (_ bv255 64)))
(assert
 (let ((?x4 (bvlshr p (_ bv6 64))))
 (let ((?x5 (bvsub (_ bv3 64) ?x4)))
 (let (($x6 (= ?x5 (_ bv1 64))))
 (let (($x7 (= ?x5 (_ bv0 64))))
 (let ((?x8 (bvand (ite $x7 l2_0 (ite $x6 l2_1 (ite (= ?x5 (_ bv2 64)) l2_2 l2_3))) (bvnot (bvshl (_ bv1 64) (bvand p (_ bv63 64)))))))
 (let (($x9 (= (ite $x7 ?x8 l2_0) (_ bv0 64))))
 (let ((?x10 (ite (= ?x8 (_ bv0 64)) (bvand l1 (bvnot (bvshl (_ bv1 64) ?x4))) l1)))
 (let (($x11 (not (= (bvand ?x10 (_ bv8 64)) (_ bv0 64)))))
 (let (($x12 (= (ite $x6 ?x8 l2_1) (_ bv0 64))))
 (let (($x13 (or (and (not (= (bvand ?x10 (_ bv4 64)) (_ bv0 64))) (not $x12)) (and (not (not (= (bvand ?x10 (_ bv4 64)) (_ bv0 64)))) $x12))))
 (let (($x14 (= (ite (= ?x5 (_ bv2 64)) ?x8 l2_2) (_ bv0 64))))
 (let (($x15 (or (and (not (= (bvand ?x10 (_ bv2 64)) (_ bv0 64))) (not $x14)) (and (not (not (= (bvand ?x10 (_ bv2 64)) (_ bv0 64)))) $x14))))
 (let (($x16 (= (ite (= ?x5 (_ bv3 64)) ?x8 l2_3) (_ bv0 64))))
 (let (($x17 (or (and (not (= (bvand ?x10 (_ bv1 64)) (_ bv0 64))) (not $x16)) (and (not (not (= (bvand ?x10 (_ bv1 64)) (_ bv0 64)))) $x16))))
 (let (($x18 (and (and (and (and (= (bvlshr ?x10 (_ bv4 64)) (_ bv0 64)) $x17) $x15) $x13) (or (and $x11 (not $x9)) (and (not $x11) $x9)))))
 (not $x18)))))))))))))))))
(check-sat)
