// Viewers and anchors with real-looking Chinese nicknames. A user is a pure function of a
// PRNG stream, so user #i of a room is the same person on every run with the same seed.
import { newSecUid, newShortId, newUid } from './ids.ts';
import { gradeMinDiamonds } from './pay-grade.ts';
import type { Prng } from './prng.ts';

export interface FansClubMembership {
  clubName: string;
  level: number;
  /** The anchor whose club this is. */
  anchorId: string;
}

export interface SimUser {
  id: string;
  shortId: string;
  secUid: string;
  nickname: string;
  displayId: string;
  /** 0 unknown, 1 male, 2 female. */
  gender: 0 | 1 | 2;
  /** Avatar image URI; builders turn it into URLs. */
  avatarUri: string;
  /** Diamonds spent over the account's life: decides the pay grade. */
  lifetimeDiamonds: number;
  followerCount: number;
  followingCount: number;
  signature: string;
  fansClub: FansClubMembership | null;
}

export interface SimAnchor extends SimUser {
  webRid: string;
  verified: boolean;
}

const PREFIXES = ['小', '阿', '大', '老', '', '', '', '', '爱吃', '不吃', '一只', '会飞的', '睡不醒的', '快乐的'];
const CORES = [
  '月亮', '星星', '晚风', '橘子', '奶茶', '可乐', '向日葵', '柠檬', '小鱼', '清风', '云朵', '桃子', '西瓜',
  '芒果', '熊猫', '兔子', '猫咪', '狐狸', '海盐', '薄荷', '草莓', '樱桃', '糖果', '咖啡', '豆豆', '阳光',
  '雨天', '雪花', '夏天', '秋天', '鲸鱼', '山茶', '栀子', '小满', '知秋', '南风', '北辰', '青柠', '蜜桃',
];
const SUFFIXES = ['', '', '', '呀', '酱', '哥', '姐', '同学', '🌸', '✨', '1998', '2003', '666', '不加糖', '的日常', '本人'];
const FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '林'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞'];
const LATIN = ['Lucky', 'Sunny', 'Coco', 'Momo', 'Kiki', 'Leo', 'Mia', 'Tony', 'Luna', 'Vicky'];

export function nickname(prng: Prng): string {
  const style = prng.int(0, 9);
  if (style <= 5) return `${prng.pick(PREFIXES)}${prng.pick(CORES)}${prng.pick(SUFFIXES)}`;
  if (style === 6) return `用户${prng.digits(13)}`;
  if (style === 7) return `${prng.pick(FAMILY)}${prng.pick(GIVEN)}${prng.chance(0.5) ? prng.pick(GIVEN) : ''}`;
  if (style === 8) return `${prng.pick(LATIN)}${prng.pick(CORES)}`;
  return `${prng.pick(CORES)}${prng.pick(CORES)}`;
}

const SIGNATURES = ['', '', '', '热爱生活，热爱直播', '每晚八点不见不散', '谢谢关注❤️', '做自己就好', '商务合作请私信'];

/** Lifetime spend: most viewers spent nothing or little, a few are big spenders. */
function lifetimeDiamonds(prng: Prng): number {
  const roll = prng.next();
  if (roll < 0.45) return 0;
  if (roll < 0.8) return prng.int(1, gradeMinDiamonds(8));
  if (roll < 0.96) return prng.int(gradeMinDiamonds(8), gradeMinDiamonds(25));
  return prng.int(gradeMinDiamonds(25), gradeMinDiamonds(45));
}

export function makeUser(prng: Prng): SimUser {
  const id = newUid(prng);
  const shortId = newShortId(prng);
  return {
    id,
    shortId,
    secUid: newSecUid(prng),
    nickname: nickname(prng),
    displayId: prng.chance(0.6) ? shortId : `${prng.chars(prng.int(5, 10), 'abcdefghijklmnopqrstuvwxyz')}${prng.chance(0.5) ? prng.digits(3) : ''}`,
    gender: prng.pick([0, 1, 2] as const),
    avatarUri: `aweme-avatar/tos-cn-avt-0015_${prng.chars(32, '0123456789abcdef')}`,
    lifetimeDiamonds: lifetimeDiamonds(prng),
    followerCount: prng.int(0, 2000),
    followingCount: prng.int(0, 800),
    signature: prng.pick(SIGNATURES),
    fansClub: null,
  };
}

const CLUB_SUFFIXES = ['家', '团', '粉', '宝', '爱'];

export function makeAnchor(prng: Prng, webRid: string): SimAnchor {
  const base = makeUser(prng);
  return {
    ...base,
    webRid,
    nickname: nickname(prng),
    verified: prng.chance(0.3),
    followerCount: prng.int(2_000, 5_000_000),
    signature: prng.pick(SIGNATURES.filter((s) => s !== '')),
  };
}

/** A short club name derived from the anchor, e.g. "橘子家". */
export function fansClubName(anchor: SimAnchor): string {
  const core = CORES.find((word) => anchor.nickname.includes(word)) ?? anchor.nickname.slice(0, 2);
  return `${core}${CLUB_SUFFIXES[core.length % CLUB_SUFFIXES.length]}`;
}

/** Viewer #index of a room: some are members of the anchor's fans club. */
export function makeViewer(prng: Prng, anchor: SimAnchor, clubName: string): SimUser {
  const user = makeUser(prng);
  if (prng.chance(0.25)) user.fansClub = { clubName, level: prng.int(1, 20), anchorId: anchor.id };
  return user;
}
