// Wealth levels ("财富等级"): a level is reached by total diamonds spent. The curve is ours,
// fitted to the vendor samples (level 5 from 45, 16 from 1300, 20 from 3800, 25 from 15000,
// 60 from 200 000 000 diamonds).

export interface PayGradeInfo {
  level: number;
  minDiamonds: number;
  maxDiamonds: number;
  /** "距离13级还差35抖币" */
  describe: string;
}

export const MAX_PAY_LEVEL = 75;

/** The first levels come quickly; from level 7 on each costs about 31% more than the last. */
const FIRST_LEVELS = [0, 0, 5, 15, 30, 45, 65];

export function gradeMinDiamonds(level: number): number {
  if (level < FIRST_LEVELS.length) return FIRST_LEVELS[Math.max(0, level)] as number;
  return Math.round(21.9 * Math.pow(1.3125, level - 1));
}

/** Minimum diamonds per level, indexed by level (computed once: every user body asks). */
const THRESHOLDS = Array.from({ length: MAX_PAY_LEVEL + 2 }, (_, level) => gradeMinDiamonds(level));

export function levelForDiamonds(diamonds: number): number {
  let level = 1;
  while (level < MAX_PAY_LEVEL && (THRESHOLDS[level + 1] as number) <= diamonds) level++;
  return level;
}

export function payGrade(totalDiamonds: number): PayGradeInfo {
  const level = levelForDiamonds(totalDiamonds);
  const minDiamonds = gradeMinDiamonds(level);
  const maxDiamonds = level >= MAX_PAY_LEVEL ? minDiamonds : gradeMinDiamonds(level + 1);
  const describe = level >= MAX_PAY_LEVEL ? '已达最高等级' : `距离${level + 1}级还差${maxDiamonds - totalDiamonds}抖币`;
  return { level, minDiamonds, maxDiamonds, describe };
}
