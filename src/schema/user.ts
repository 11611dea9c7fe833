import type { FansClub, PayGrade, User } from '../domain/model.ts';
import { userKeyArg } from './arguments.ts';
import { builder } from './builder.ts';
import { callPort, historyDisabled } from './errors.ts';
import { ImageRef } from './image.ts';

export const GenderEnum = builder.enumType('Gender', {
  values: ['UNKNOWN', 'MALE', 'FEMALE'] as const,
});

export const AvatarSizeEnum = builder.enumType('AvatarSize', {
  description: "Douyin's three avatar renditions: thumb (about 100px), medium (about 720px) and large (full size).",
  values: ['SMALL', 'MEDIUM', 'LARGE'] as const,
});

export const PayGradeRef = builder.objectRef<PayGrade>('PayGrade').implement({
  description: 'Wealth level ("财富等级") a viewer earns by spending diamonds, from the user\'s pay_grade.',
  fields: (t) => ({
    level: t.exposeInt('level'),
    name: t.exposeString('name', { nullable: true }),
    description: t.exposeString('description', { nullable: true, description: 'Douyin\'s text, e.g. "距离13级还差35抖币".' }),
    minDiamonds: t.expose('minDiamonds', { type: 'SafeInt', nullable: true, description: 'Diamonds at which this level starts.' }),
    maxDiamonds: t.expose('maxDiamonds', { type: 'SafeInt', nullable: true, description: 'Diamonds at which this level ends.' }),
    nextDiamonds: t.expose('nextDiamonds', {
      type: 'SafeInt',
      nullable: true,
      description: 'Diamonds still needed for the next level, when Douyin says.',
    }),
  }),
});

export const FansClubRef = builder.objectRef<FansClub>('FansClub').implement({
  description: "A user's membership of an anchor's fans club (粉丝团).",
  fields: (t) => ({
    name: t.exposeString('name'),
    level: t.exposeInt('level'),
    anchorId: t.exposeID('anchorId', { nullable: true, description: 'The anchor whose club this is.' }),
  }),
});

export const UserRef = builder.objectRef<User>('User').implement({
  description: 'A Douyin user as last seen in room data or events.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The 64-bit uid.' }),
    shortId: t.exposeID('shortId', { nullable: true }),
    secUid: t.exposeString('secUid', { nullable: true, description: 'The stable public id used by profile URLs.' }),
    displayId: t.exposeString('displayId', { nullable: true, description: 'The "抖音号" shown on the profile.' }),
    nickname: t.exposeString('nickname'),
    avatar: t.field({
      type: ImageRef,
      nullable: true,
      args: { size: t.arg({ type: AvatarSizeEnum, defaultValue: 'SMALL', required: true }) },
      description: 'The avatar in the asked size; the size Douyin sent when it sent only one.',
      resolve: (user, { size }) => user.avatarSizes?.[size] ?? user.avatar,
    }),
    gender: t.expose('gender', { type: GenderEnum }),
    signature: t.exposeString('signature', { nullable: true, description: 'The profile bio.' }),
    payGrade: t.expose('payGrade', { type: PayGradeRef, nullable: true }),
    fansClub: t.expose('fansClub', { type: FansClubRef, nullable: true }),
    followerCount: t.expose('followerCount', {
      type: 'SafeInt',
      nullable: true,
      description: 'Followers; Douyin often hides it (null) outside the anchor\'s own profile.',
    }),
    followingCount: t.expose('followingCount', { type: 'SafeInt', nullable: true }),
    verified: t.exposeBoolean('verified'),
    webRid: t.exposeID('webRid', { nullable: true, description: "The anchor's room number, on users that broadcast." }),
  }),
});

builder.queryField('user', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'A user seen in stored events (history only); null when never seen. Give exactly one of id and secUid.',
    args: {
      id: t.arg.id({ description: 'The 64-bit uid.' }),
      secUid: t.arg.string(),
    },
    resolve: async (_root, args, context) => {
      const lookup = userKeyArg(args);
      const history = context.history;
      if (history === null) throw historyDisabled();
      return callPort(() => history.getUser(lookup));
    },
  }),
);
